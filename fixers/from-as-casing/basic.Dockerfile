FROM golang:1.23 as build
RUN go build -o /app .

from alpine:3.20 AS runtime
COPY --from=build /app /app

From scratch as mixed
