FROM alpine:3.20
COPY a b /app
COPY c \
    d \
    /etc/app
