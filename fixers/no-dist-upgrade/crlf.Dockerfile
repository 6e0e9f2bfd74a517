FROM ubuntu:24.04
RUN apt-get update \
    && apt-get upgrade -y \
    && apt-get install -y --no-install-recommends curl
