package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Publishes the outcomes of each micro-batch, batches in the order they were cut, and decides when the frames'
 * offsets are committed: one subclass per delivery mode ({@link AtLeastOncePublisher}, {@link ExactlyOncePublisher}).
 * Everything but the acknowledgement callbacks runs on the consumer's thread.
 */
abstract class Publisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    /** What the pipeline hears back. */
    interface Listener {
        /** The broker took the outcome's record (any thread). */
        void acknowledged(Outcome o, long sentNanos);

        /** Publishing cannot go on; the pipeline must stop without publishing more (any thread). */
        void fatal(Throwable t);
    }

    final KafkaProducer<String, byte[]> producer;
    final OutputRecords records;
    final Metrics metrics;
    final Listener listener;

    Publisher(Properties producerProps, OutputRecords records, Metrics metrics, Listener listener) {
        this.producer = new KafkaProducer<>(producerProps);
        this.records = records;
        this.metrics = metrics;
        this.listener = listener;
    }

    static Publisher create(PipelineSettings s, OutputRecords records, Metrics metrics, Listener listener) {
        Properties p = new Properties();
        p.putAll(s.kafka());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, s.instanceId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (!s.exactlyOnce()) return new AtLeastOncePublisher(p, records, metrics, listener);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, s.group() + "-" + s.instanceId());
        return new ExactlyOncePublisher(p, records, metrics, listener);
    }

    /** A frame was read from the frames topic. */
    void consumed(ConsumerRecord<?, ?> r) {}

    /** Publishes one batch's outcomes, in order. */
    abstract void publish(List<Outcome> batch, KafkaConsumer<?, ?> consumer);

    /** Called once per poll loop: what the mode does between batches (retries, commits). */
    void tick(KafkaConsumer<?, ?> consumer) {}

    /** Waits until everything published is acknowledged and its offsets committed: before a rebalance or a stop. */
    void flush(KafkaConsumer<?, ?> consumer) {
        producer.flush();
    }

    /** The partitions went to another member. */
    void forget(Collection<TopicPartition> parts) {}

    /**
     * Whether Kafka refused the record for what it is (too large for the producer or the broker, invalid), so the
     * same frame can still be answered with a stripped dead letter. Anything else (a broker outage, a fenced
     * producer, a record failed only because its transaction was aborted) says nothing against the record itself.
     */
    static boolean refusedForItself(Throwable err) {
        return err instanceof org.apache.kafka.common.errors.RecordTooLargeException
                || err instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
                || err instanceof org.apache.kafka.common.InvalidRecordException;
    }

    /** The dead letter that replaces an outcome Kafka refused: the original reason if it was one, else why. */
    Outcome stripped(Outcome o, Throwable err) {
        String kind, error;
        if (o.kind() == Outcome.Kind.DEAD) {
            kind = header(o, Topics.H_ERROR_KIND, "unpublishable");
            error = header(o, Topics.H_ERROR, "") + " (dead letter refused by Kafka: " + err + ")";
        } else {
            metrics.deadLetters.increment();
            kind = "unpublishable";
            error = "result refused by Kafka: " + err;
        }
        LOG.warn("{}-{}@{} refused by Kafka ({}); sending a dead letter without payload", o.in().topic(), o.in().partition(),
                o.in().offset(), err.toString());
        return new Outcome(o.in(), records.stripped(o.in(), kind, error), Outcome.Kind.STRIPPED, null, o.extras());
    }

    private static String header(Outcome o, String name, String dflt) {
        Header h = o.out().headers().lastHeader(name);
        return h == null ? dflt : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
