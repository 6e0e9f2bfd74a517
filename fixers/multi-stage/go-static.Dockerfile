FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends golang-go
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o bin/hello .
ENTRYPOINT ["/src/bin/hello"]
