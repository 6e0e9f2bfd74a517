
ARG DEBUG=""
FROM scratch${DEBUG-@bogus}
COPY Dockerfile .
