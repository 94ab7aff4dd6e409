# resdet's images, built from the repository root. Targets:
#   cpu (default)  docker build -t resdet .                       compiles with Maven inside the build
#   prebuilt       mvn -B -DskipTests package && docker build --target prebuilt -t resdet .
#                  the same image from the jars built on the host (cli/target): no second Maven download
#   gpu            docker build --target gpu -t resdet:gpu .       CUDA libtorch, fetched by DJL while building
# Needs BuildKit (Docker 23+, or DOCKER_BUILDKIT=1): the legacy builder would build every stage, the CUDA one included.
# The base images are build args, public images by default; bin/docker-local builds Debian-made stand-ins and the
# tests build `prebuilt` with --build-arg RUNTIME_IMAGE=resdet-local/jre:17 (README, Deployment).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04

# What every CPU target shares: a JRE, a non-root user, the health check (bash's /dev/tcp: no curl needed).
FROM ${RUNTIME_IMAGE} AS runtime
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/resdet --shell /bin/bash resdet
COPY deploy/resdet-health.sh /opt/resdet/bin/resdet-health
WORKDIR /opt/resdet
# resdet never downloads at run time; DJL unpacks the bundled libtorch into /home/resdet/.djl.ai on the first start.
ENV JAVA_TOOL_OPTIONS="-Dai.djl.offline=true"
# As bin/resdet: freed activations stay in the heap for the next image instead of going back to the kernel.
ENV MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["/opt/resdet/bin/resdet-health"]
USER resdet
ENTRYPOINT ["java", "-jar", "/opt/resdet/resdet-cli.jar"]
# Off loopback the service needs an API token: docker run -e RESDET_HTTP_TOKEN=... (or append --insecure).
CMD ["serve", "--http-host", "0.0.0.0"]

FROM runtime AS prebuilt
COPY cli/target/lib/ /opt/resdet/lib/
COPY cli/target/resdet-cli.jar /opt/resdet/resdet-cli.jar

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# A host build's cli/target may be in the context (for `prebuilt`): start from the sources only.
RUN rm -rf ./*/target && mvn -B -q -DskipTests package

# CUDA: the CPU libtorch jar is left out, so DJL fetches libtorch for PYTORCH_FLAVOR from its own repository while
# the image builds (DJL_OFFLINE=false outranks the ai.djl.offline=true resdet sets); at run time it finds it in the
# cache, offline. The NVIDIA runtime supplies the driver (compose: the gpu profile's device reservation).
FROM ${CUDA_IMAGE} AS gpu
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /home/resdet --shell /bin/bash resdet
COPY deploy/resdet-health.sh /opt/resdet/bin/resdet-health
COPY --from=build /src/cli/target/lib/ /opt/resdet/lib/
COPY --from=build /src/cli/target/resdet-cli.jar /opt/resdet/resdet-cli.jar
RUN rm /opt/resdet/lib/pytorch-native-cpu-*.jar
WORKDIR /opt/resdet
ENV PYTORCH_VERSION=${PYTORCH_VERSION} PYTORCH_FLAVOR=${PYTORCH_FLAVOR} JAVA_TOOL_OPTIONS="-Dai.djl.offline=true" \
    MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736
USER resdet
# `--version` loads the engine: DJL downloads libtorch (the load itself may fail here: no GPU driver while building).
RUN DJL_OFFLINE=false java -jar /opt/resdet/resdet-cli.jar --version \
 && ls /home/resdet/.djl.ai/pytorch/*-${PYTORCH_FLAVOR}-*/libtorch_cuda.so
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["/opt/resdet/bin/resdet-health"]
ENTRYPOINT ["java", "-jar", "/opt/resdet/resdet-cli.jar"]
CMD ["serve", "--http-host", "0.0.0.0"]

FROM runtime AS cpu
COPY --from=build /src/cli/target/lib/ /opt/resdet/lib/
COPY --from=build /src/cli/target/resdet-cli.jar /opt/resdet/resdet-cli.jar
