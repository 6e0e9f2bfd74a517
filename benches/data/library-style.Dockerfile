# syntax=docker/dockerfile:1
# A docker-library style image: long RUN chains, several stages, and the
# patterns dockerfix fixes, written for the benchmarks.

ARG DEBIAN_VERSION=bookworm
FROM debian:${DEBIAN_VERSION}-slim AS base
MAINTAINER Example Maintainers <maintainers@example.org>

ENV LANG=C.UTF-8 \
    PATH=/usr/local/bin:$PATH \
    APP_HOME=/opt/app

# runtime dependencies
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		ca-certificates \
		curl \
		gnupg \
		libbz2-1.0 \
		libffi8 \
		libgdbm6 \
		liblzma5 \
		libncursesw6 \
		libreadline8 \
		libsqlite3-0 \
		libssl3 \
		netbase \
		tzdata \
		zlib1g \
	; \
	rm -rf /var/lib/apt/lists/*

ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ENV APP_VERSION=3.12.7

RUN set -eux; \
	\
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		dpkg-dev \
		gcc \
		libbz2-dev \
		libc6-dev \
		libdb-dev \
		libexpat1-dev \
		libffi-dev \
		libgdbm-dev \
		liblzma-dev \
		libncursesw5-dev \
		libreadline-dev \
		libsqlite3-dev \
		libssl-dev \
		make \
		tk-dev \
		uuid-dev \
		wget \
		xz-utils \
		zlib1g-dev \
	; \
	\
	wget -O app.tar.xz "https://downloads.example.org/app/${APP_VERSION%%[a-z]*}/App-$APP_VERSION.tar.xz"; \
	wget -O app.tar.xz.asc "https://downloads.example.org/app/${APP_VERSION%%[a-z]*}/App-$APP_VERSION.tar.xz.asc"; \
	GNUPGHOME="$(mktemp -d)"; export GNUPGHOME; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$GPG_KEY"; \
	gpg --batch --verify app.tar.xz.asc app.tar.xz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" app.tar.xz.asc; \
	mkdir -p /usr/src/app; \
	tar --extract --directory /usr/src/app --strip-components=1 --file app.tar.xz; \
	rm app.tar.xz; \
	\
	cd /usr/src/app; \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
	./configure \
		--build="$gnuArch" \
		--enable-loadable-sqlite-extensions \
		--enable-optimizations \
		--enable-option-checking=fatal \
		--enable-shared \
		--with-lto \
		--with-system-expat \
		--without-ensurepip \
	; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make install; \
	\
	cd /; \
	rm -rf /usr/src/app; \
	\
	find /usr/local -depth \
		\( \
			\( -type d -a \( -name test -o -name tests -o -name idle_test \) \) \
			-o \( -type f -a \( -name '*.pyc' -o -name '*.pyo' -o -name 'libapp*.a' \) \) \
		\) -exec rm -rf '{}' + \
	; \
	\
	ldconfig; \
	\
	apt-mark auto '.*' > /dev/null; \
	apt-mark manual $savedAptMark; \
	find /usr/local -type f -executable -not \( -name '*tkinter*' \) -exec ldd '{}' ';' \
		| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
		| sort -u \
		| xargs -r dpkg-query --search \
		| cut -d: -f1 \
		| sort -u \
		| xargs -r apt-mark manual \
	; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
	rm -rf /var/lib/apt/lists/*; \
	\
	app --version

# make some useful symlinks that are expected to exist
RUN set -eux; \
	for src in idle3 pydoc3 app3 app3-config; do \
		dst="$(echo "$src" | tr -d 3)"; \
		[ -s "/usr/local/bin/$src" ]; \
		[ ! -e "/usr/local/bin/$dst" ]; \
		ln -svT "$src" "/usr/local/bin/$dst"; \
	done

FROM base AS build
WORKDIR /src
ADD requirements.txt /src/
RUN pip install -r requirements.txt
ADD . /src
RUN make build && make test

FROM base AS final
maintainer second@example.org
WORKDIR $APP_HOME
COPY --from=build /src/dist/ /opt/app/
ADD config/ /etc/app/
ADD https://example.org/tools/healthcheck /usr/local/bin/healthcheck
ADD vendor.tar.gz /opt/vendor/
ONBUILD ADD . /opt/app/src
EXPOSE 8080
HEALTHCHECK --interval=30s CMD /usr/local/bin/healthcheck || exit 1
ENTRYPOINT ["docker-entrypoint.sh"]
CMD exec app serve --port 8080
