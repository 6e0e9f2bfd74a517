arg VERSION=1
arg BASE=alpine
FROM ${BASE}:3.20
RUN echo $VERSION
ONBUILD run echo inner
