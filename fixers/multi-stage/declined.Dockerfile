# Without -o the binary's name cannot be known: reported, not fixed.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build ./...
CMD ["/go/bin/app"]
