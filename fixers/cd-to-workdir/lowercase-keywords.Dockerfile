from alpine:3.20
  run cd /src && make
cmd ["/src/app"]
