
FROM scratch
COPY ./Dockerfile .
