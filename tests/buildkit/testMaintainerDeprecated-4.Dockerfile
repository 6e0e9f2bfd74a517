
FROM scratch
# check=skip=JSONArgsRecommended
ENTRYPOINT mycommand
