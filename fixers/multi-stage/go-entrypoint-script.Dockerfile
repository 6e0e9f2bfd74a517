# The entrypoint is a script of the build folder: the runtime stage would
# copy only the binary.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN go build -o server .
ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["./server"]
