FROM scratch
WORKDIR app/

FROM alpine:3.20 AS a
WORKDIR /app
WORKDIR src
WORKDIR ../lib/./x

FROM a AS b
WORKDIR subdir/
