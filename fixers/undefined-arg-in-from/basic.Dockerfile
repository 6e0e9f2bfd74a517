ARG tag=latest
ARG DEBUG
FROM busybox:${tag}${version} AS b
FROM --platform=$BULIDPLATFORM scratch
FROM scratch${DEBUG}
FROM --platform=$BUILDPLATFORM alpine:${tag}
ARG LATE=1
FROM alpine:$LATE
