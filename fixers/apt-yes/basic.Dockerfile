FROM debian:bookworm
RUN apt-get update && apt-get install curl
RUN apt-get update && apt install --no-install-recommends curl wget
RUN apt-get -qq install curl
RUN apt-get install --yes curl && apt-get install -qy wget && apt-get --assume-yes install git
RUN apt-get -o APT::Get::Assume-Yes=true install curl
RUN if [ -n "$DEV" ]; then apt-get "install" gdb; fi
# The options are not known: reported, -y added all the same (it is harmless).
RUN apt-get install $APT_OPTS curl
# Not an install, or not apt.
RUN apt-get update && apt-get remove -y curl && echo "apt-get install x" && apt-cache policy curl
# exec form is not a shell command
RUN ["apt-get", "install", "curl"]
