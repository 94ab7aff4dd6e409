package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * At-least-once: an idempotent producer with {@code acks=all}; a frame's offset is committed only after the broker
 * acknowledged its output, and only as part of an acknowledged prefix of its partition ({@link OffsetCommitter}).
 * A record Kafka refuses for itself (too large for the producer or the broker) is sent again as a stripped dead
 * letter, so its frame can still be committed; any other failure is fatal and leaves the offset uncommitted.
 */
final class AtLeastOncePublisher extends Publisher {
    private final OffsetCommitter committer;
    /** Outcomes refused in a producer callback, sent again from the consumer's thread. */
    private final Queue<Outcome> refused = new ConcurrentLinkedQueue<>();

    AtLeastOncePublisher(Properties producerProps, OutputRecords records, Metrics metrics, Listener listener) {
        super(producerProps, records, metrics, listener);
        this.committer = new OffsetCommitter(metrics);
    }

    @Override
    void consumed(ConsumerRecord<?, ?> r) {
        committer.consumed(new TopicPartition(r.topic(), r.partition()), r.offset());
    }

    @Override
    void publish(List<Outcome> batch, KafkaConsumer<?, ?> consumer) {
        for (Outcome o : batch) send(o);
    }

    private void send(Outcome o) {
        TopicPartition tp = new TopicPartition(o.in().topic(), o.in().partition());
        long offset = o.in().offset(), sent = System.nanoTime();
        producer.send(o.out(), (md, err) -> {
            if (err == null) {
                listener.acknowledged(o, sent);
                committer.acked(tp, offset);
            } else if (refusedForItself(err) && o.kind() != Outcome.Kind.STRIPPED) {
                // Kafka refused this record itself (too large, invalid): not sent from inside this producer callback.
                refused.add(stripped(o, err));
            } else {
                // The producer already retried (idempotently), or even the stripped dead letter was refused.
                listener.fatal(new IllegalStateException("publishing " + tp + "@" + offset + " failed: " + err, err));
            }
        });
    }

    @Override
    void tick(KafkaConsumer<?, ?> consumer) {
        for (Outcome o; (o = refused.poll()) != null; ) send(o);
        committer.commit(consumer, false);
    }

    @Override
    void flush(KafkaConsumer<?, ?> consumer) {
        producer.flush();
        while (!refused.isEmpty()) { // refusals found by the flush go out stripped, and are waited for too
            for (Outcome o; (o = refused.poll()) != null; ) send(o);
            producer.flush();
        }
        committer.commit(consumer, true);
    }

    @Override
    void forget(Collection<TopicPartition> parts) {
        committer.forget(parts);
    }
}
