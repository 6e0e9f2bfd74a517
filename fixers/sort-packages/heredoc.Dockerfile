# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOT
set -e
apt-get update
apt-get install -y --no-install-recommends \
    zip \
    bzip2
rm -rf /var/lib/apt/lists/*
EOT
