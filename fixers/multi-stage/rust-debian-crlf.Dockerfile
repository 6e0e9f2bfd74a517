FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends cargo ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ENV CARGO_TARGET_DIR=/build
RUN cargo build --release --bin hello
CMD ["/build/release/hello"]
