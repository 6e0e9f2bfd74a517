FROM alpine
MAINTAINER Jane <j@x.org>
RUN true