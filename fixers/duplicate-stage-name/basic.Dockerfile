FROM scratch AS b
FROM scratch AS b
FROM scratch AS B
FROM scratch AS c
