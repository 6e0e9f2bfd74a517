# An unknown base: apt-get in the stage says it is Debian-like.
FROM my.registry.example:5000/base/os:1
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
CMD ["curl", "--version"]
