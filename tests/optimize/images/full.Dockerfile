# The "full" variant made for the tests: the slim one plus a compiler and
# its documentation, as python's full image adds buildpack-deps.
FROM localhost/dockerfix-test-python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make && rm -rf /var/lib/apt/lists/*
