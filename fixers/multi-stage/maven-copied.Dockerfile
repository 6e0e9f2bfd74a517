# The jar is moved out of target/ after the build: declined.
FROM maven:3.9-eclipse-temurin-17-alpine
WORKDIR /app
COPY . .
RUN mvn -B package && mv target/*.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
