FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install \
       python3 \
    && rm -rf /var/lib/apt/lists/*
