FROM rust:1.75
WORKDIR /src
COPY . .
RUN cargo build --release --bin app
CMD ["/src/target/release/app"]
