FROM debian:bookworm
RUN apt-get update
# the tools we need

RUN apt-get install -y --no-install-recommends curl
RUN useradd app && mkdir /app

WORKDIR /app
RUN echo one
RUN echo two; echo three
RUN echo four || true
RUN echo five

RUN mkdir /x
RUN --mount=type=cache,target=/root/.cache echo six
RUN ["echo", "seven"]
RUN echo eight
