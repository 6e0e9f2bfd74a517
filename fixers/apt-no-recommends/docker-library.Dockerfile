FROM buildpack-deps:bookworm

# install "virtualenv", since the vast majority of users of this image will want it
RUN set -eux; \
	apt-get update; \
	apt-get install -y \
		libbluetooth-dev \
		tk-dev \
		uuid-dev \
	; \
	rm -rf /var/lib/apt/lists/*
