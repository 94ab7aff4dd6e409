package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At-least-once: an idempotent producer with {@code acks=all}; a frame's offset is committed only after the broker
 * acknowledged its output, and only as part of an acknowledged prefix of its partition ({@link OffsetCommitter}).
 * A record Kafka refuses for itself (too large for the producer or the broker) is sent again as a stripped dead
 * letter, so its frame can still be committed; any other failure is fatal and leaves the offset uncommitted.
 */
final class AtLeastOncePublisher extends Publisher {
    private final OffsetCommitter committer;
    /** Outcomes refused in a producer callback, sent again from the consumer's thread. */
    private final Queue<Resend> refused = new ConcurrentLinkedQueue<>();

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

    /**
     * What a frame still waits for: its record and each extra acknowledged. {@code answer} is the outcome whose record
     * the broker took (a stripped dead letter when the first one was refused); only when nothing is pending is the
     * frame answered and its offset allowed to count.
     */
    private final class Pending {
        final TopicPartition tp;
        final long offset, sent = System.nanoTime();
        final AtomicInteger left;
        volatile Outcome answer;

        Pending(Outcome o) {
            this.tp = new TopicPartition(o.in().topic(), o.in().partition());
            this.offset = o.in().offset();
            this.left = new AtomicInteger(1 + o.extras().size());
        }

        void acked() {
            if (left.decrementAndGet() > 0) return;
            listener.acknowledged(answer, sent);
            committer.acked(tp, offset);
        }
    }

    /** A refused outcome's stripped replacement, and the frame it answers. */
    private record Resend(Outcome stripped, Pending pending) {}

    private void send(Outcome o) {
        Pending p = new Pending(o);
        for (ProducerRecord<String, byte[]> x : o.extras()) {
            producer.send(x, (md, err) -> {
                if (err == null) p.acked();
                else listener.fatal(new IllegalStateException("publishing " + x.topic() + " for " + p.tp + "@" + p.offset + " failed: " + err, err));
            });
        }
        sendMain(o, p);
    }

    private void sendMain(Outcome o, Pending p) {
        producer.send(o.out(), (md, err) -> {
            if (err == null) {
                p.answer = o;
                p.acked();
            } else if (refusedForItself(err) && o.kind() != Outcome.Kind.STRIPPED) {
                // Kafka refused this record itself (too large, invalid): not sent from inside this producer callback.
                // Its extras went out already; the replacement carries none.
                Outcome s = stripped(o, err);
                refused.add(new Resend(s.with(s.out(), List.of()), p));
            } else {
                // The producer already retried (idempotently), or even the stripped dead letter was refused.
                listener.fatal(new IllegalStateException("publishing " + p.tp + "@" + p.offset + " failed: " + err, err));
            }
        });
    }

    private void resend() {
        for (Resend r; (r = refused.poll()) != null; ) sendMain(r.stripped(), r.pending());
    }

    @Override
    void tick(KafkaConsumer<?, ?> consumer) {
        resend();
        committer.commit(consumer, false);
    }

    @Override
    void flush(KafkaConsumer<?, ?> consumer) {
        producer.flush();
        while (!refused.isEmpty()) { // refusals found by the flush go out stripped, and are waited for too
            resend();
            producer.flush();
        }
        committer.commit(consumer, true);
    }

    @Override
    void forget(Collection<TopicPartition> parts) {
        committer.forget(parts);
    }
}
