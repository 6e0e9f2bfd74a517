# A configuration file copied outside the build folder: the runtime stage
# (the binary only) would not have it.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
COPY config.yaml /etc/app/config.yaml
RUN go build -o /usr/local/bin/app .
CMD ["app"]
