# What a script writes cannot be known from the Dockerfile: the finding says so.
FROM alpine:3.20
WORKDIR /opt/app
COPY --chmod=755 entrypoint.sh /usr/local/bin/
COPY app/ ./
ENTRYPOINT ["entrypoint.sh"]
CMD ["serve", "--log-file", "${LOG_FILE}"]
