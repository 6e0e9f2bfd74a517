# The binary copied into the working folder (`.`) and onto the PATH
# (`/usr/local/bin` without its `/`): the runtime stage copies the binary,
# not the folder.
FROM rust:1.75-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release --bin app && cp target/release/app . && cp app /usr/local/bin
CMD ["app"]
