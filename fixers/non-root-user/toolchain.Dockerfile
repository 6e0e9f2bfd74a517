# A toolchain in a root-owned prefix, started as a shell: builds FROM it
# write to /usr/local/cargo. No fix.
FROM debian:bookworm-slim
ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev \
    && curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --no-modify-path --profile minimal \
    && rm -rf /var/lib/apt/lists/*
CMD ["bash"]
