# syntax=docker/dockerfile:1.11
FROM alpine:3.20 AS base
# Images copied from by the builds that start FROM this one: pinned.
ONBUILD COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv
ONBUILD COPY --from=busybox:1.36 /bin/busybox /bin/
onbuild run --mount=type=bind,from=golang:1.22,target=/go true
# A plain name may be a stage of the triggering build: left alone.
ONBUILD COPY --from=builder /app /app
ONBUILD COPY --from=base /etc/os-release /
