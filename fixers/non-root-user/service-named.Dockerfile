# named binds port 53 as root and switches to its user itself (-u).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends bind9 \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 53/udp 53/tcp
CMD /usr/sbin/named -u bind -f
