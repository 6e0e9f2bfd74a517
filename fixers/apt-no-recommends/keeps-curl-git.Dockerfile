# `curl` and `git` bring ca-certificates and openssh-client only as
# recommendations (curl through libcurl4); the file needs both: https
# downloads and a git@ clone. They join the sorted list in order.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl git && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 git@github.com:example/tools.git /opt/tools \
    && curl -fsSLo /usr/local/bin/helper https://example.com/helper
