
FROM --platform=linux/amd64 scratch
