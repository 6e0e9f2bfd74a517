FROM rust:1.75-bookworm
WORKDIR /src
COPY . .
RUN cargo build --release
CMD ["app"]
