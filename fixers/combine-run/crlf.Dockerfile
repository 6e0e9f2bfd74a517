FROM debian:bookworm
RUN echo a
# b
RUN echo b
