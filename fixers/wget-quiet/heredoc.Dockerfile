# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
wget https://example.com/a.tgz
EOF
