ARG BASE=python:3.12-slim
ARG PY=3.12
ARG NODE_IMAGE="node:20-alpine" OTHER=1
ARG BARE
FROM ${BASE} AS one
FROM $BASE AS two
FROM python:${PY}-slim AS three
FROM ${NODE_IMAGE} AS four
FROM ${BARE} AS five
FROM ${BASE:-python:3} AS six
ARG STAGE_ARG=alpine
COPY --from=${STAGE_ARG} / /
