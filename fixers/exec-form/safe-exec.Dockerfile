# Safe: `exec` and no entrypoint in force (known base image, scratch, ENTRYPOINT []).
FROM python:3.12-slim AS app
CMD exec gunicorn --bind 0.0.0.0:8000 app:app

FROM scratch AS static
COPY server /server
CMD exec /server --listen :8080

FROM app AS inherits
CMD exec python -m http.server

FROM nginx:1.27 AS cleared
ENTRYPOINT []
CMD exec nginx -g "daemon off;"

# Unsafe: unknown base entrypoint, an ENTRYPOINT in force, no `exec`, or ENTRYPOINT itself.
FROM nginx:1.27
CMD exec nginx -g "daemon off;"
FROM alpine
ENTRYPOINT ["tini", "--"]
CMD exec ./run
FROM alpine
CMD ./run
ENTRYPOINT exec ./run
# A bare ENTRYPOINT makes `/bin/sh -c` the entrypoint: nothing to rewrite, and no longer safe.
FROM python:3.12-slim
ENTRYPOINT
CMD exec ./run
