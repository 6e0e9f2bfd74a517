
FROM scratch
ENTRYPOINT mycommand
