FROM alpine:3.20
RUN <<EOF
cd /src && make
EOF
