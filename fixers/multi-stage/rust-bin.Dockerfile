FROM rust:1.75-alpine3.19
RUN apk add --no-cache musl-dev
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl --bin server
ENTRYPOINT ["/app/target/x86_64-unknown-linux-musl/release/server"]
