FROM alpine:3.20
ENV A b c
ENV B value
