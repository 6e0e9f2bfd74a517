FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

# Go from Debian: GOPATH is the default, ~/go; GOCACHE is set.
FROM debian:bookworm AS debian-go
ENV GOCACHE=/cache/go
RUN apt-get update && apt-get install -y --no-install-recommends golang-go
RUN go install example.com/tool@v1.2.3 && go clean -modcache -cache

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
