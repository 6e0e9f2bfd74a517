# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
ln -sf /bin/bash /bin/sh
EOF
RUN echo done
