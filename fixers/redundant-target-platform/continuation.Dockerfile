FROM \
    --platform=$TARGETPLATFORM \
    alpine:3.20
FROM \
    # why the flag
    --platform=$TARGETPLATFORM \
    alpine:3.20
