FROM node:20
RUN cd /app && npm ci
FROM alpine:3.20
RUN apk add --no-cache make && cd /src && make
RUN (cd /src && make)
RUN cd /src; make
RUN cd $HOME && ls
RUN --mount=type=cache,target=node_modules cd /app && npm ci
RUN cd "/my dir" && ls
RUN cd /tmp || exit 1
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN git clone https://example.com/x.git ; cd x ; git pull
