# An unsorted list: the kept packages go last.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y wget gpg \
    && wget -qO- https://example.com/key.asc | apt-key add - \
    && apt-key adv --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys 0xABCDEF
