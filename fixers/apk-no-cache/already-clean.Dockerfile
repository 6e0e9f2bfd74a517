FROM alpine:3.20
RUN set -eux; apk add --no-cache --virtual .fetch-deps gnupg; apk del --no-network .fetch-deps
