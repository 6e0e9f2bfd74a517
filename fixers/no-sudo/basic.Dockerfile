FROM ubuntu:24.04 AS base
RUN apt-get update && sudo apt-get install -y curl
RUN curl -fsSL https://example.com/key.gpg | sudo tee /etc/apt/keyrings/example.gpg > /dev/null
RUN sudo \
    apt-get install -y git
# Options do more than keep the user: reported only.
RUN sudo -u nobody touch /tmp/x
RUN sudo -E make install
USER app
RUN sudo make install
USER root
RUN sudo make install
USER 0:0
run sudo make install

FROM base AS child
RUN sudo echo inherited root

FROM example.com/team/base:1
RUN sudo apt-get install -y curl
USER "root"
RUN sudo apt-get install -y curl
ONBUILD RUN sudo make
