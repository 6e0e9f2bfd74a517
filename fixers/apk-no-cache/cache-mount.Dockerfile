# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk apk update && apk add curl
RUN --mount=type=cache,target=/etc/apk/cache apk add git
RUN --mount=type=cache,target=/root/.cache/pip apk add python3
