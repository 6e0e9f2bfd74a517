FROM --platform=linux/amd64 scratch
FROM --platform=linux/amd64 scratch AS my_amd64_stage
FROM --platform=linux/amd64 scratch AS linux
FROM --platform=$BUILDPLATFORM golang:1.23
FROM --platform=linux/arm64/v8 alpine:3.20 AS runtime
FROM --platform=nonsense alpine:3.20
