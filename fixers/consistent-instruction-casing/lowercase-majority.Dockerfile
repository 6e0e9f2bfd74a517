from alpine:3.20
run apk add --no-cache curl
COPY app /app
onbuild RUN echo later
cmd ["/app"]
