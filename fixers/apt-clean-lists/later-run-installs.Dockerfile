FROM debian:bookworm AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get install -y --no-install-recommends git

FROM debian:bookworm AS other
RUN apt-get update
RUN echo "no apt here"
# This one updates first: the RUN above can drop its lists.
RUN apt-get update && apt-get install -y --no-install-recommends git

FROM base AS child-of-base
RUN apt-cache policy curl

FROM debian:bookworm AS parent
RUN apt-get update && apt-get install -y --no-install-recommends make
FROM parent
RUN apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm AS with-onbuild
RUN apt-get update && apt-get install -y --no-install-recommends curl
ONBUILD RUN apt-get install -y --no-install-recommends git
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends wget
