ARG MY_ARCH=amd64
FROM --platform=linux/${MYARCH} busybox
