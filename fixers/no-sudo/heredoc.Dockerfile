# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
set -e
sudo apk add --no-cache curl
EOF
FROM gcr.io/distroless/base:nonroot
RUN sudo true
