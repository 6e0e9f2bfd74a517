# `curl` and `git` bring ca-certificates and openssh-client only as
# recommendations (curl through libcurl4); the image needs both: its
# command downloads over https and clones over ssh. They join the sorted
# list in order. (It builds offline but for the package mirror.)
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl git && rm -rf /var/lib/apt/lists/*
CMD git clone --depth 1 git@github.com:example/tools.git /tmp/tools \
    && curl -fsSLo /tmp/helper https://example.com/helper
