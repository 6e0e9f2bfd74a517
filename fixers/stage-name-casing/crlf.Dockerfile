FROM alpine:3.20 AS Base
FROM base
COPY --from=Base /a /a
