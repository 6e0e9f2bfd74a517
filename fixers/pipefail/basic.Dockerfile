FROM debian:bookworm
RUN apt-get update
# the repository key
RUN curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN VERSION="$(curl -fsSL https://example.com/latest | jq -r .version)" && echo "$VERSION"
RUN a || b

FROM alpine:3.20
RUN wget -qO- https://example.com/install.sh | sh

FROM centos:7
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/x | tar xz

FROM fedora:40
SHELL ["/bin/bash", "-c"]
RUN curl -fsSL https://example.com/x | tar xz

FROM example.com/unknown
RUN curl -fsSL https://example.com/x | tar xz

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Get-Content x | Out-File y
