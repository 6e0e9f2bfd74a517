
FROM scratch AS a

FROM a AS b
ENV testkey value
LABEL key value

FROM a AS c
