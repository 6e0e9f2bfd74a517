FROM debian:bookworm
RUN wget https://example.com/a.tgz
RUN wget -O /tmp/b.tgz https://example.com/b.tgz && tar xzf /tmp/b.tgz
RUN wget -qO- https://example.com/install.sh | sh
RUN wget -nv https://example.com/c && wget --progress=bar:force https://example.com/d
RUN wget -o /tmp/log https://example.com/e
RUN wget https://example.com/f 2>/dev/null || true
RUN wget https://example.com/g >/dev/null 2>&1

FROM alpine:3.20 AS alpine
RUN wget https://example.com/h
RUN apk add --no-cache wget && wget https://example.com/i

FROM alpine
RUN wget https://example.com/j

FROM example.com/unknown/base
RUN wget https://example.com/k
