# escape=`
FROM alpine:3.20
COPY `$literal $REAL /dst/
