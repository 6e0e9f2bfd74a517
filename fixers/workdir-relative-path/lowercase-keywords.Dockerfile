from ubuntu:24.04
workdir ./opt/app
