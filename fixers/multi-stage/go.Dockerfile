FROM golang:1.22-bookworm
ARG VERSION=dev
ENV APP_ENV=production
WORKDIR /src
COPY go.mod main.go ./
RUN go build -ldflags "-X main.version=${VERSION}" -o /usr/local/bin/app .
USER 1001
EXPOSE 8080
CMD ["app"]
