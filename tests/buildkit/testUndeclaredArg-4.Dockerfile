
ARG DEBUG
FROM scratch${DEBUG}
COPY Dockerfile .
