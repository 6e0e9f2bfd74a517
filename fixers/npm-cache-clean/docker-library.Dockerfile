FROM node:22-alpine

RUN set -eux; \
	apk add --no-cache --virtual .build-deps python3 make g++; \
	yarn global add node-gyp; \
	apk del .build-deps
