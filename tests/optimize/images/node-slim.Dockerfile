# The "slim" node variant made for the tests: the Debian base and
# Debian's nodejs and npm.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
