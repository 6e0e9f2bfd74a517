FROM debian:bookworm
RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends curl
RUN apt-get update && apt-get -y dist-upgrade
RUN apt update && apt full-upgrade -y
RUN apt-get update && apt-get upgrade -y || true
RUN apt-get install -y --only-upgrade openssl
