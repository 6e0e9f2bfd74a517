# check=experimental=all
# the version
ARG VERSION=1
FROM scratch
