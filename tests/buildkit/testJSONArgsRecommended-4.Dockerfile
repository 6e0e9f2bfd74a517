
FROM scratch
SHELL ["/usr/bin/customshell"]
ENTRYPOINT mycommand
