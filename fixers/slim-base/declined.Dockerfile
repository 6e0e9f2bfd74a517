# Build tools and headers: multi-stage's job.
FROM python:3.12
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc

# Tools the slim variant lacks, in RUN or at run time.
FROM node:20
RUN git clone https://example.com/app.git /app
HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1

# Installs what it needs itself: fixed.
FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends git && git --version

# A JDK that builds.
FROM eclipse-temurin:21 AS build
RUN ./mvnw package

# Left alone: already slim, digests, variables, unknown golang release.
FROM python:3.12-slim
FROM python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000
FROM python:${PY}
FROM golang:1.22
FROM myregistry.example.com/python:3.12
