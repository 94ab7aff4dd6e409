# resdet-local/maven:3 (bin/docker-local images --with-maven): Debian's Maven and JDK 17 on the Debian base, the
# stand-in for maven:3.9-eclipse-temurin-17 as BUILD_IMAGE when the Dockerfile's default target is built here.
ARG PARENT_IMAGE=resdet-local/debian:bookworm
FROM ${PARENT_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven openjdk-17-jdk-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
CMD ["mvn", "--version"]
