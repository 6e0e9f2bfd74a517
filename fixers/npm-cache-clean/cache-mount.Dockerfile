# syntax=docker/dockerfile:1
FROM node:22
RUN --mount=type=cache,target=/root/.npm npm ci
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN --mount=type=cache,target=/var/cache/apt npm ci
