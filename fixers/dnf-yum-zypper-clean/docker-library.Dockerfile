FROM oraclelinux:9

RUN set -eux; \
	microdnf install -y \
		gzip \
		findutils \
		tar \
	; \
	useradd --system app
