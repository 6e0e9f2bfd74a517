# The file creates a user with a fixed uid: the USER line gets the number.
FROM alpine:3.20
RUN addgroup -g 82 -S www-data \
    && adduser -u 82 -D -S -G www-data www-data
COPY app /srv/app
CMD ["/srv/app/run"]
