FROM alpine:3.20 AS alpine
# Option values stay with their options.
RUN apk add --no-cache --virtual .build-deps \
		musl-dev \
		gcc \
		make

FROM fedora:40 AS fedora
RUN dnf install -y \
      which \
      git \
    && dnf clean all

FROM opensuse/leap:15.6
RUN zypper --non-interactive install -y \
      vim \
      curl \
    && zypper clean
