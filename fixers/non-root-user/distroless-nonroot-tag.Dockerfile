# Already non-root by its tag: no finding.
FROM golang:1.23 AS build
RUN go build -o /app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
