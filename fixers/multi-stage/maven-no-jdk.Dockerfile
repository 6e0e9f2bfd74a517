# maven:3.9 does not say which JDK it has: no JRE image can be chosen.
FROM maven:3.9
WORKDIR /app
COPY . .
RUN mvn -B package
CMD ["java", "-jar", "target/app.jar"]
