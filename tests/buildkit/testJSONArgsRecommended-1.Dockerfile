
FROM scratch
CMD mycommand
