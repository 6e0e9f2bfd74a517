FROM python:3.12
COPY app.py /app/
CMD ["python", "/app/app.py"]

FROM python:3.11-bookworm AS other
RUN pip install --no-cache-dir flask

FROM node:20-bookworm
RUN npm ci

FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates

FROM eclipse-temurin:17-jdk-jammy AS run
COPY app.jar /app.jar

FROM golang:1.22-bookworm
COPY --from=other /x /x
CMD ["/x"]
