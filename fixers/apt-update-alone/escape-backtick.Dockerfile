# escape=`
FROM ubuntu:22.04
RUN apt-get update
RUN apt-get install -y --no-install-recommends `
      curl C:\\x `
      git
