FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
ADD . /src
RUN make -C /src

FROM alpine:3.20
maintainer ops@example.com
COPY --from=build /src/worker /usr/local/bin/worker
# Unsafe to convert (the entrypoint would then receive CMD as arguments):
# shown by `check`, applied only with --unsafe-fixes.
ENTRYPOINT /usr/local/bin/worker --queue default
