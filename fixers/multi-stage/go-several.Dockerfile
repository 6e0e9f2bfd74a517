# Two binaries: which ones the program needs is not known.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /bin/api ./cmd/api && go build -o /bin/worker ./cmd/worker
CMD ["/bin/api"]
