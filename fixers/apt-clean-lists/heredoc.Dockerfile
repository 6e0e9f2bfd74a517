# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
EOF
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends git
EOF
