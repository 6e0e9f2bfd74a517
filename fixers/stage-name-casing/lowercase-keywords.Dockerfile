from alpine:3.20 as Deps
run apk add --no-cache curl
from scratch
copy --from=Deps /usr/bin/curl /curl
