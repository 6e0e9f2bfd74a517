FROM alpine:3.20
RUN apk add --no-cache tini
CMD ["tini", "--", "sleep", "1"]