# `FROM base AS final`: the family comes from the first real image.
FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*

FROM base AS final
COPY app /usr/local/bin/app
CMD ["app"]
