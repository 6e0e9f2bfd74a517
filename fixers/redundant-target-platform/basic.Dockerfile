FROM --platform=$TARGETPLATFORM alpine:3.20 AS a
FROM --platform=${TARGETPLATFORM} alpine:3.20 AS b
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM --platform="$TARGETPLATFORM" scratch
