# A script starts what the image installs: pptp needs CAP_NET_ADMIN.
FROM debian:bookworm
RUN set -xe \
    && apt-get update \
    && apt-get install -y pptp-linux \
    && rm -rf /var/lib/apt/lists/*
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
