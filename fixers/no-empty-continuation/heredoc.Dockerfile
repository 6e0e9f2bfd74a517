FROM alpine:3.20
RUN <<EOF
echo a \

echo b
EOF
RUN cat <<EOF > /x \

    && echo done
line

EOF
