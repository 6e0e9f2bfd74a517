FROM alpine:3.20 AS a
from alpine:3.20 as b
FROM scratch
