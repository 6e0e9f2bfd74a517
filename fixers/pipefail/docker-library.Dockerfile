FROM debian:bookworm-slim

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	rm -rf /var/lib/apt/lists/*

# add the repository and its key
RUN set -eux; \
	curl -fsSL https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg; \
	echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://example.com/apt stable main" > /etc/apt/sources.list.d/example.list
