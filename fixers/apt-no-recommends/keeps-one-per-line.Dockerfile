# One package per line, sorted: the kept package gets a line of its own.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y \
        curl \
        jq \
        wget \
    && rm -rf /var/lib/apt/lists/*
ENV TOOL_URL=https://example.com/tool.tar.gz
RUN wget -qO- "$TOOL_URL" | tar -xz -C /usr/local/bin
