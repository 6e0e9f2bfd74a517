# Nothing to keep: plain http only; a list that names ca-certificates
# already; an earlier install that named it; a stage the URL is not in.
FROM debian:bookworm-slim AS fetch
RUN apt-get update && apt-get install -y curl
RUN curl -fsSo /tmp/a http://mirror.example.com/a

FROM debian:bookworm-slim AS tls
RUN apt-get update && apt-get install -y ca-certificates curl
RUN curl -fsSo /tmp/b https://example.com/b

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
RUN apt-get install -y wget && wget -q https://example.com/c
