# resdet-local/jre:17 (bin/docker-local): the Debian base + Debian's headless OpenJDK 17 JRE. Here it stands in for
# eclipse-temurin:17-jre as RUNTIME_IMAGE of the repository's Dockerfile and is the base of the local Kafka image.
ARG PARENT_IMAGE=resdet-local/debian:bookworm
FROM ${PARENT_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
CMD ["bash"]
