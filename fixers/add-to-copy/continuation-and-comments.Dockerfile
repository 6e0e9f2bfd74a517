FROM alpine AS build
ADD \
    # the sources
    src/ \
    /build/src/
RUN make -C /build

FROM scratch
ADD --link \
    rootfs.tar.gz \
    /
ADD --from=build /build/out /out
