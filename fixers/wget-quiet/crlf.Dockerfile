FROM ubuntu:22.04
RUN wget \
    https://example.com/a.tgz
