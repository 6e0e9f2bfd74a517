FROM alpine:3.20
RUN <<EOF
ENV NOT an instruction
EOF
ENV AFTER heredoc value
