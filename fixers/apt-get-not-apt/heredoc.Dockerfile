# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
set -e
apt update
apt install -y curl
EOF
