FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y \
    git \
    make \
 && rm -rf /var/lib/apt/lists/*
RUN git clone ssh://git@example.com/team/app.git /src && make -C /src
