# Its WORKDIR is root's home, which no other user may enter. No fix.
FROM ubuntu:24.04
WORKDIR /root
COPY run.sh .
CMD ["./run.sh"]
