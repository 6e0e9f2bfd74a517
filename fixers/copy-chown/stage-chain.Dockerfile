FROM alpine:3.20 AS base
WORKDIR /app

FROM base
COPY . /app
RUN chown -R 1001:1001 /app
