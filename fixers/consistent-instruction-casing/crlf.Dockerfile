FROM alpine:3.20
Run echo hi
COPY a /a
