FROM alpine:3.20
# first
CMD ["a"]
CMD ["b"]
