# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
echo a
EOF
RUN echo b
