# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
set -e
apk update
apk add curl
rm -rf /var/cache/apk/*
EOF
