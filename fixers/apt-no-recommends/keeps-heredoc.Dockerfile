# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
apt-get update
apt-get install -y \
    python3 \
    wget
wget -q https://example.com/get.py
python3 get.py
EOF
