FROM alpine:3.20

RUN set -eux; \
	apk update; \
	apk add \
		bash \
		ca-certificates \
		openssl \
	; \
	rm -rf /var/cache/apk/*

RUN apk update \
    && apk add \
        python3 \
        py3-pip \
    # clean up
    && rm -rf /var/cache/apk/*
