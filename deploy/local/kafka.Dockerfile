# resdet-local/kafka:VERSION (bin/docker-local): a single-node KRaft broker made of the Kafka jars on Maven Central and
# Debian's JRE, laid out like apache/kafka where its users look: Testcontainers' KafkaContainer runs
# /etc/kafka/docker/run with KAFKA_* settings, deploy/kafka-sasl.sh runs /opt/kafka/bin/kafka-storage.sh and
# kafka-server-start.sh. The context is deploy/local/kafka plus libs/ (the jars, put there by bin/docker-local).
ARG PARENT_IMAGE=resdet-local/jre:17
FROM ${PARENT_IMAGE}
ARG KAFKA_VERSION
LABEL org.opencontainers.image.title="Kafka ${KAFKA_VERSION} (KRaft) from Maven Central jars" \
      org.opencontainers.image.version="${KAFKA_VERSION}"
RUN useradd --system --uid 1000 --user-group --create-home --home-dir /home/appuser appuser
COPY libs/ /opt/kafka/libs/
COPY bin/ /opt/kafka/bin/
COPY run /etc/kafka/docker/run
RUN chmod 755 /opt/kafka/bin/* /etc/kafka/docker/run
USER appuser
WORKDIR /home/appuser
EXPOSE 9092
CMD ["/etc/kafka/docker/run"]
