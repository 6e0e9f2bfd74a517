FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        git \
        wget
RUN apt-get update && \
    apt-get install -y --no-install-recommends jq && \
    apt-get clean
RUN apt update; apt install -y make
# Already removed (also with find), or nothing to remove.
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/* /tmp/*
RUN apt-get update && apt-get install -y g++ && find /var/lib/apt/lists -type f -delete
RUN apt-get install -y --no-install-recommends vim
# The last command runs in the background: not fixed.
RUN apt-get update && apt-get install -y nginx && nginx &
