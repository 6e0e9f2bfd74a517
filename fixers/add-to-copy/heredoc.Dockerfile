# syntax=docker/dockerfile:1
FROM alpine
ADD <<EOT /etc/motd
ADD a.txt /a
EOT
ADD a.txt /a
RUN <<EOF
ADD b.txt /b
EOF
