FROM alpine:3.20
ENV NODE_VERSION 20.11.1
ENV JAVA_OPTS -Xms256m -Xmx512m
ENV GREETING "hello world"
LABEL description My web app
LABEL maintainer "Jane Doe <jane@example.com>"
ENV PATH /app/bin:$PATH
ENV A=1 B=2
ENV EMPTY ""
env lower case
