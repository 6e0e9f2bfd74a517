# escape=`
FROM debian:bookworm
RUN apt-get update && `
    apt-get install python3 C:\\x && `
    rm -rf /var/lib/apt/lists/*
