FROM debian:bookworm
RUN apt-get update
# build tools
RUN apt-get install -y --no-install-recommends \
        build-essential \
        git \
    && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm
RUN apt-get -q update
RUN set -eux; apt-get install -y --no-install-recommends curl; rm -rf /var/lib/apt/lists/*

FROM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt apt-get update
RUN apt-get install -y --no-install-recommends curl

FROM debian:bookworm
RUN apt-get update
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN (apt-get update)
RUN apt-get install -y --no-install-recommends wget
