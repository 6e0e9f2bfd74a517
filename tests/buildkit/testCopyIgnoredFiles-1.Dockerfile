
FROM scratch
COPY Dockerfile .
ADD Dockerfile /windy
