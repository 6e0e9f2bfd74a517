FROM alpine:3.20
COPY $SRC /dst
