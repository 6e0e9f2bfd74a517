FROM debian:12
RUN apt-get update \
 && sudo apt-get install -y curl
