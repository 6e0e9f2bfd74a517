FROM nginx:1.27
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD pgrep nginx
HEALTHCHECK --interval=1s CMD [ -e /tmp/.lock ] || exit 1
HEALTHCHECK --start-period=10s \
    --retries=3 \
    CMD curl -k -s --fail `$HEALTH_SCRIPT_FILE` || exit 1
healthcheck cmd wget -q -O /dev/null http://localhost:8080/health
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK NONE

FROM example.com/team/base:1 AS unknown
HEALTHCHECK CMD test -f /ready && curl -f http://localhost/

# The check runs under the shell of the finished image.
FROM debian:12 AS later-shell
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
SHELL ["/bin/bash", "-c"]
FROM later-shell AS child
SHELL ["/bin/zsh", "-c"]
