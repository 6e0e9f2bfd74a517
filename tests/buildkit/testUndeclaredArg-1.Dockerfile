
ARG base=scratch
FROM $base
COPY Dockerfile .
