# The binary is copied onto the PATH after the build: the runtime stage gets
# that copy.
FROM rust:1.75-slim-bookworm
WORKDIR /src
COPY . .
RUN cargo build --release --bin api && cp target/release/api /usr/local/bin/
CMD ["api"]
