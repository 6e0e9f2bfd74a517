FROM ubuntu:24.04

RUN set -eux; \
	apt-get update; \
	apt-get dist-upgrade -y; \
	apt-get install -y --no-install-recommends ca-certificates; \
	rm -rf /var/lib/apt/lists/*

RUN apt-get update \
    # keep the base current
    && apt-get upgrade -y \
    && rm -rf /var/lib/apt/lists/*
