# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
set -e
apt-get update
apt-get upgrade -y
apt-get install -y --no-install-recommends curl
EOF
