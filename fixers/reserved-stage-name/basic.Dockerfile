FROM scratch AS scratch
FROM scratch AS context
FROM scratch AS Scratch
FROM scratch
FROM scratch AS a
