# syntax=docker/dockerfile:1
# The last RUN is a heredoc at the end of the file: the new lines go after
# a blank line (hadolint cannot read an instruction right below a heredoc).
FROM debian:bookworm-slim
CMD ["app"]
RUN <<EOT
  set -e
  apt-get update
  apt-get install -y --no-install-recommends curl
  rm -rf /var/lib/apt/lists/*
EOT
