# The "full" node variant made for the tests: the slim one plus the
# compilers node-gyp builds with, as node's full image adds buildpack-deps.
FROM localhost/dockerfix-test-node:20-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3 && rm -rf /var/lib/apt/lists/*
