FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
RUN apt-get update && apt install -y curl wget
RUN apt-get -qq install -y curl && apt-get install --no-install-recommends -y wget
RUN apt-get install -y -o APT::Install-Recommends=false curl
RUN if [ -n "$DEV" ]; then apt-get install -y gdb; fi
RUN apt-get update && apt-get upgrade -y && apt-get remove -y curl
RUN ["apt-get", "install", "-y", "curl"]
