FROM debian:bookworm-slim
# Several per line, out of order: one per line, sorted.
RUN apt-get update && apt-get install -y --no-install-recommends \
        wget curl \
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# Already sorted one per line: unchanged.
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
    && rm -rf /var/lib/apt/lists/*

# The first package on the install line stays there.
RUN apt-get update && apt-get install -y zlib1g \
    libssl-dev \
    gcc \
    && rm -rf /var/lib/apt/lists/*

# One line: left alone.
RUN apt-get update && apt-get install -y wget curl && rm -rf /var/lib/apt/lists/*

# Left alone: a variable, an option between packages, a comment line,
# apt's remove suffix.
RUN apt-get update && apt-get install -y \
        wget \
        $EXTRA \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y \
        wget \
        --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y \
        wget \
# for TLS
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y \
        wget \
        exim4- \
    && rm -rf /var/lib/apt/lists/*
