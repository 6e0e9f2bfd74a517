# The toolchain builds the app this image runs: the variable alone does not
# make it a base image, so it gets a user.
FROM golang:1.23
ENV GOPATH=/go
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server .
CMD ["server"]
