# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY <<EOT1 <<EOT2 /etc/app
first
EOT1
second
EOT2
COPY <<EOT /etc/app/one.conf
single
EOT
