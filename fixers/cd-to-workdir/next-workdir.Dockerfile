FROM alpine:3.20
RUN cd /src && make
WORKDIR /app
RUN cd / && ls
