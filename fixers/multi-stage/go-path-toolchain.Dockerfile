# Go's own bin folder on PATH is the toolchain's: the binary does not need it.
FROM golang:1.22-bookworm
ENV PATH=/usr/local/go/bin:/go/bin:$PATH
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
