# escape=`
FROM debian:12
RUN apt-get update && `
    ln -sf /bin/bash /bin/sh
RUN echo done
