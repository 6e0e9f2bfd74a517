
FROM scratch AS scratch
FROM scratch AS context
