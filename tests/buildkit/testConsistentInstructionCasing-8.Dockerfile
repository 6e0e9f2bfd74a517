
FROM scratch
COPY Dockerfile /foo
COPY Dockerfile /bar
