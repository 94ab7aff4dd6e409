package io.resdet.streamservice;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker for a test class: the in-process KRaft broker on free ports in a temp dir. (Without a Docker
 * engine on this machine there is no container variant; the tests are the same either way and never skipped.)
 */
final class KafkaTestBroker implements AutoCloseable {
    final EmbeddedBroker broker;
    final Path dir;

    KafkaTestBroker() throws IOException {
        dir = Files.createTempDirectory("resdet-kafka-");
        broker = EmbeddedBroker.start(dir, 0);
    }

    String bootstrap() {
        return broker.bootstrap();
    }

    void createTopics(int partitions, String... names) throws Exception {
        try (Admin a = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            a.createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException {
        broker.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The tiny random-weights model, written once per build into target/. */
    static synchronized Path tinyWeights() throws IOException {
        Path p = Path.of("target", "test-models", "tiny-fasterrcnn-r18.safetensors");
        if (!Files.exists(p)) Models.writeTinyWeights(p);
        return p;
    }

    /** Service config for tests: tiny model, ephemeral HTTP port, small batches. */
    static io.vertx.core.json.JsonObject serviceConfig(String bootstrap) throws IOException {
        return ServiceConfig.defaults().put("bootstrap", bootstrap).put("http-port", 0).put("batch-size", 4)
                .put("batch-ms", 20).put("workers", 2)
                .put("model", Models.TINY.copy().put("weights", tinyWeights().toString())
                        .put("min-size", 64).put("max-size", 80).put("rpn-proposals", 20));
    }

}
