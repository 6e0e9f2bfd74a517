# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN apt-get update
RUN <<EOF
apt-get install -y --no-install-recommends curl
EOF
