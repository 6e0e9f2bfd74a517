# USER gradle is the builder image's own user: the JRE image has none.
FROM gradle:8.5-jdk17
WORKDIR /home/gradle/app
COPY . .
RUN gradle bootJar
USER gradle
CMD ["java", "-jar", "build/libs/app.jar"]
