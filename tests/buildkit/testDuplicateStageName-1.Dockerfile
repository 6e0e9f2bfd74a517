
FROM scratch AS b
FROM scratch AS b
