FROM debian:12
RUN rm /bin/sh && ln -s /bin/bash /bin/sh
RUN source /opt/env.sh && make

FROM ubuntu:24.04
RUN apt-get update && apt-get install -y bash && ln -sf /bin/bash /bin/sh
RUN echo done

FROM alpine:3.20
RUN apk add --no-cache bash \
 && rm -f /bin/sh \
 && ln -sf bash /bin/sh \
 && echo linked
CMD ["sh"]

FROM debian:12 AS has-shell
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ln -sf /bin/bash /bin/sh

FROM debian:12 AS others
# Not a shell change the fix knows: reported only.
RUN ln -s /bin/sh /usr/local/bin/sh
RUN ln -sf /usr/bin/python3 /bin/sh
run ln -sf /bin/dash /bin/sh
