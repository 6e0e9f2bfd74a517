# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
apt-get update
apt-get install curl
EOF
RUN <<EOF python3
print("apt-get install x")
EOF
