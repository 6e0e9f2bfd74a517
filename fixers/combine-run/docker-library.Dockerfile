FROM debian:bookworm-slim

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates; \
	rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 999 app
RUN useradd --system --uid 999 --gid app app
