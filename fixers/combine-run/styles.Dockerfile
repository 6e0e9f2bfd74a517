FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends git
RUN git --version

RUN set -eux; \
	echo one
RUN echo two

RUN echo three && \
  echo four
RUN echo five && \
      echo six
