# An image whose command is curl: its users give it the (https) URLs.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["curl"]
CMD ["--help"]
