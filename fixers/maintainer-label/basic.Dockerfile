FROM debian:bookworm
MAINTAINER Jane Doe <jane@example.com>
RUN echo hi

FROM alpine
maintainer lowercase@example.com
MAINTAINER "Quoted" Name $HOME \backslash

FROM alpine
LABEL org.opencontainers.image.authors="team@example.com"
MAINTAINER old@example.com
