# resdet CLI image: `resdet serve` by default. Build from the repository root: docker build -t resdet .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/resdet
COPY --from=build /src/cli/target/resdet-cli.jar /opt/resdet/resdet-cli.jar
COPY --from=build /src/cli/target/lib /opt/resdet/lib
ENV JAVA_TOOL_OPTIONS="-Dai.djl.offline=true"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/resdet/resdet-cli.jar"]
# Off loopback the service needs an API token: docker run -e RESDET_HTTP_TOKEN=... (or append --insecure).
CMD ["serve", "--http-host", "0.0.0.0"]
