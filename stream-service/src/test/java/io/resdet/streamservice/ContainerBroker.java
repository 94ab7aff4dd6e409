package io.resdet.streamservice;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka in a container ({@code apache/kafka}, {@code apache/kafka-native}, or an image laid out like
 * them such as bin/docker-local's {@code resdet-local/kafka}), set up like {@link EmbeddedBroker}. The host port is
 * fixed at creation and bound to 127.0.0.1 only, so the advertised address stays valid when the same container is
 * stopped and started again (the broker-restart tests); its data stays in the container.
 */
final class ContainerBroker implements TestBroker {
    private final KafkaContainer container;
    private final String image;

    ContainerBroker(String image) {
        this.image = image;
        int hostPort = EmbeddedBroker.freePort();
        DockerImageName name = DockerImageName.parse(image);
        // KafkaContainer takes apache/kafka(-native) only; other images must declare that they behave the same.
        if (!name.getRepository().startsWith("apache/kafka")) name = name.asCompatibleSubstituteFor("apache/kafka");
        container = new KafkaContainer(name)
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "3")
                .withStartupTimeout(Duration.ofMinutes(3));
        container.setPortBindings(List.of("127.0.0.1:" + hostPort + ":9092"));
        container.start();
    }

    @Override
    public String bootstrap() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Testcontainers " + image + " (container " + container.getContainerId().substring(0, 12) + ")";
    }

    @Override
    public void stop() {
        DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
    }

    @Override
    public void restart() throws Exception {
        DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException(description() + " not back within 120 s: " + e);
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
