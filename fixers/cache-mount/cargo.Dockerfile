FROM rust:1.79 AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && rm -rf /usr/local/cargo/registry
RUN cargo install cargo-deny && rm -rf $CARGO_HOME/registry $CARGO_HOME/git

FROM debian:bookworm-slim
COPY --from=build /src/target/release/app /usr/local/bin/app
CMD ["app"]
