FROM python:3.12-alpine

RUN set -eux; \
	\
	apk add --no-cache --virtual .build-deps gcc musl-dev; \
	pip install \
		--disable-pip-version-check \
		'setuptools==69.0.0' \
		wheel \
	; \
	apk del --no-network .build-deps
