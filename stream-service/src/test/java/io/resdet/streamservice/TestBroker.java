package io.resdet.streamservice;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real Kafka broker for a test class, whichever {@link TestBrokers#start} chose. */
interface TestBroker extends AutoCloseable {
    String bootstrap();

    /** What it is, for the test log: "in-process KRaft broker ..." or "Testcontainers apache/kafka-native:...". */
    String description();

    /** Takes the broker down, keeping its data and address (clients see it unreachable). */
    void stop() throws Exception;

    /** Brings it back after {@link #stop} on the same address with the same data; returns once it serves requests. */
    void restart() throws Exception;

    @Override
    void close() throws Exception;

    default void createTopics(int partitions, String... names) throws Exception {
        try (Admin a = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            a.createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }
}
