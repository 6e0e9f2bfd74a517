FROM debian:bookworm-slim

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		ca-certificates \
		netbase \
		tzdata \
	; \
# a comment inside the continuation lines stays
	update-ca-certificates

RUN set -ex \
	&& apt-get update \
	&& apt-get install -y --no-install-recommends \
		libpq-dev \
	&& savedAptMark="$(apt-mark showmanual)"
