FROM alpine:3.20
ENV DEPS \
    curl \
    git \
    make
ENV SINGLE \
    value
LABEL note \
    # a comment in the gap
    kept
