FROM golang:1.23 AS Build
RUN go build -o /app .

FROM Build AS Test
RUN go test ./...

FROM alpine:3.20
COPY --from=Build /app /app
RUN --mount=type=bind,from=Test,source=/report,target=/r cat /r
