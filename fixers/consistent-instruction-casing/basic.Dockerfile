FROM alpine:3.20 AS build
RUN apk add --no-cache make
copy . /src
Workdir /src
RUN make

FROM scratch
COPY --from=build /src/app /app
Cmd ["/app"]
