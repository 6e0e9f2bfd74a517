# syntax=docker/dockerfile:1
FROM node:22
RUN <<EOF
set -e
npm ci
npm run build
EOF
