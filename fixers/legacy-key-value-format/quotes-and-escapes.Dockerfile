FROM alpine:3.20
ENV MIXED "a b" c
ENV ESCAPED a\ b
ENV QUOTED 'it is' fine
ENV DOLLAR cost $5 or ${PRICE:-six}
