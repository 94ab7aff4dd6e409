package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Reads a topic from the beginning without joining a group (so it never moves anyone's offsets): the engine of
 * {@code consume}, and of the tests' checks.
 */
public final class ResultReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    public ResultReader(String bootstrap, String topic, boolean readCommitted, Map<String, ?> kafka) {
        this(bootstrap, List.of(topic), readCommitted, kafka);
    }

    /**
     * Several topics at once, each from the beginning. A topic that does not exist yet (a dead-letter topic before the
     * first dead letter) is looked for again every few seconds and read from its beginning once it appears.
     */
    public ResultReader(String bootstrap, List<String> topics, boolean readCommitted, Map<String, ?> kafka) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        this.topics = List.copyOf(topics);
    }

    private final List<String> topics;
    private final Set<String> assignedTopics = new HashSet<>();
    private final List<TopicPartition> partitions = new ArrayList<>();
    private long nextLookup;
    private boolean stopped;

    /** Ends the current {@link #read} after the record in hand (call from the sink). */
    public void stop() {
        stopped = true;
    }

    /** Assigns the partitions of topics that have appeared since the last look; true once any topic is assigned. */
    private boolean assign() {
        if (assignedTopics.size() == topics.size() || System.nanoTime() < nextLookup) return !assignedTopics.isEmpty();
        nextLookup = System.nanoTime() + (assignedTopics.isEmpty() ? 200_000_000L : 2_000_000_000L);
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : topics) {
            if (assignedTopics.contains(topic)) continue;
            List<PartitionInfo> parts = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (parts == null || parts.isEmpty()) continue;
            for (PartitionInfo pi : parts) added.add(new TopicPartition(topic, pi.partition()));
            assignedTopics.add(topic);
        }
        if (!added.isEmpty()) {
            partitions.addAll(added);
            consumer.assign(partitions);
            consumer.seekToBeginning(added);
        }
        return !assignedTopics.isEmpty();
    }

    /**
     * The current end of every partition of the topics that exist now: with {@link #read}, "everything already there"
     * can be told apart from what arrives later.
     */
    public Map<TopicPartition, Long> endOffsets() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!assign() && System.nanoTime() < deadline) sleep(200);
        return partitions.isEmpty() ? Map.of() : consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    /** Whether every partition in {@code ends} has been read up to its offset there. */
    public boolean reached(Map<TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) return false;
        }
        return true;
    }

    /**
     * Hands records to {@code sink} until {@code count} were read (≤ 0: no limit) or {@code timeout} passed;
     * returns how many were read. A topic that does not exist yet is waited for.
     */
    public long read(long count, Duration timeout, Consumer<ConsumerRecord<String, byte[]>> sink) {
        long deadline = System.nanoTime() + timeout.toNanos(), n = 0;
        stopped = false;
        while (!stopped && System.nanoTime() < deadline && (count <= 0 || n < count)) {
            if (!assign()) {
                sleep(200);
                continue;
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                sink.accept(r);
                if (++n == count || stopped) return n;
            }
        }
        return n;
    }

    public static JsonNode json(ConsumerRecord<String, byte[]> r) {
        try {
            return ResultJson.MAPPER.readTree(r.value());
        } catch (IOException e) {
            throw new IllegalStateException(r.topic() + "-" + r.partition() + "@" + r.offset() + ": not JSON: " + e.getMessage());
        }
    }

    public static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
