# ipfm captures an interface's traffic: raw sockets.
FROM debian:12
RUN apt-get update && apt-get install -y ipfm && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/usr/sbin/ipfm"]
CMD ["-n", "-c", "/etc/ipfm/ipfm.conf"]
