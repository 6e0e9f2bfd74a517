# syntax=docker/dockerfile:1
FROM python:3.12 AS base
ENV PIP_NO_CACHE_DIR=1
RUN pip install requests

FROM base AS app
RUN pip install flask

FROM python:3.12 AS other
RUN pip install numpy
ARG PIP_NO_CACHE_DIR=off
RUN pip install pandas

FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip pip install scipy
RUN --mount=type=cache,target=/root/.cache pip install rich
RUN --mount=type=cache,target=/var/cache/apt pip install click
