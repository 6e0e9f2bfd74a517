# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
curl -fsSL https://example.com/x | tar xz
EOF
