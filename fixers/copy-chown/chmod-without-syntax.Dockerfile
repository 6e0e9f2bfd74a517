# No `# syntax=` directive: --chmod is not used.
FROM alpine:3.20
COPY run.sh /run.sh
RUN chmod 755 /run.sh
