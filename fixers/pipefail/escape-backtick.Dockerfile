# escape=`
FROM ubuntu:22.04
RUN curl -fsSL https://example.com/x `
    | tar xz -C C:\\x
