FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends maven openjdk-17-jdk-headless ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN mvn -B -o verify
USER 1000
CMD ["java", "-jar", "/src/target/hello.jar"]
