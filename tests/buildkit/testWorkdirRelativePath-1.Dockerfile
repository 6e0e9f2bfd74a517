
FROM scratch
WORKDIR app/
