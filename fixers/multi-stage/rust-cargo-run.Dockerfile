# The program runs through cargo, which the runtime stage would not have.
FROM rust:1.75-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release --bin app
CMD ["cargo", "run", "--release", "--bin", "app"]
