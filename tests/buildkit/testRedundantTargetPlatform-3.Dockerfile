
# check=skip=RedundantTargetPlatform
FROM --platform=$TARGETPLATFORM scratch
