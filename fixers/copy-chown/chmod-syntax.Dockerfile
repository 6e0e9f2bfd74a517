# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY --chown=1001:1001 run.sh /opt/tools/run.sh
RUN chmod 0755 /opt/tools/run.sh
COPY bin/ /opt/bin/
RUN chmod -R 755 /opt/bin/
