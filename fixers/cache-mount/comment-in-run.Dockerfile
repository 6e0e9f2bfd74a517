FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && \
    rm -rf /var/lib/apt/lists/* && \
    # The key, after the install.
    curl -fsSL https://example.com/key -o /etc/example.key
# A cleanup built from a variable the file does not tell: declined.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf "$XDG_CACHE_HOME"/*
# Other variables are no cache folders.
RUN apt-get update && apt-get install -y --no-install-recommends gnupg && rm -rf "$GNUPGHOME" /var/lib/apt/lists/*
