FROM alpine:3.20
RUN apk add curl
RUN apk update && apk add --virtual .build-deps gcc musl-dev && rm -rf /var/cache/apk/*
RUN apk --update add git
RUN apk add --no-cache bash && apk add jq
RUN set -eux; apk update; apk add tini; rm -rf /var/cache/apk/*
# `apk upgrade` needs the index `apk update` fetched: the update stays.
RUN apk update && apk upgrade && apk add openssl
# Removes more than the cache: the rm stays.
RUN apk add make && rm -rf /var/cache/apk/* /tmp/*
RUN apk add --no-cache ca-certificates
