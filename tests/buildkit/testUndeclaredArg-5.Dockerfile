
ARG DEBUG
FROM scra${DEBUG:-tch}
COPY Dockerfile .
