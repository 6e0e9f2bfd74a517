# No CMD or ENTRYPOINT of its own: a base for other images (their RUN steps
# need root), or it runs what its base runs. Reported without a fix.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
