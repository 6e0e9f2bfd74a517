# escape=`
FROM debian:bookworm-slim
RUN apt-get update && `
    apt-get install -y `
        curl `
        unzip && `
    curl -fsSLo /tmp/x.zip https://example.com/x.zip
