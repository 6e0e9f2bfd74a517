# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
RUN --mount=type=bind,from=alpine:3.20,source=/etc,target=/mnt \
    --mount=type=cache,target=/root/.cache,from=build \
    cp /mnt/os-release /os-release
COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv

FROM build AS test
COPY --from=build /app /app
COPY --from=0 /app /app2

FROM scratch
COPY --from=test /app /app

from debian
FROM localhost:5000/team/nested/app:latest
