ARG TARGETPLATFORM=linux/arm64
FROM --platform=$TARGETPLATFORM alpine:3.20
FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20
