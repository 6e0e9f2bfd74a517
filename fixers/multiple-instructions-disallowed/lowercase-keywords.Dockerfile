from alpine:3.20
entrypoint ["a"]
run echo between
entrypoint ["b"]
