FROM ubuntu:24.04
RUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt -y upgrade && apt full-upgrade -y && apt autoremove -y
RUN apt search python3 && apt show curl && apt-cache policy curl
RUN /usr/bin/apt remove -y nano
RUN apt list --installed
RUN echo "apt install x" && apt-get install -y vim
