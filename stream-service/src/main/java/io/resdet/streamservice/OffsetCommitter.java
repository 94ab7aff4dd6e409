package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The at-least-once commit policy: commit each partition's acknowledged prefix ({@link OffsetTracker}), asynchronously
 * while running and synchronously before giving partitions away or stopping; a failed commit is retried with the
 * newest position sent, never an older one. Used on the consumer's thread only.
 */
final class OffsetCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

    private final OffsetTracker tracker = new OffsetTracker();
    private final Metrics metrics;
    private final Map<TopicPartition, OffsetAndMetadata> retry = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> lastSent = new HashMap<>();

    OffsetCommitter(Metrics metrics) {
        this.metrics = metrics;
    }

    void consumed(TopicPartition tp, long offset) {
        tracker.consumed(tp, offset);
    }

    /** From any thread (producer callbacks): the frame's output was acknowledged by the broker. */
    void acked(TopicPartition tp, long offset) {
        tracker.acked(tp, offset);
    }

    void commit(KafkaConsumer<?, ?> consumer, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> c = new HashMap<>(retry);
        retry.clear();
        c.putAll(tracker.committable()); // newer positions win
        c.keySet().retainAll(consumer.assignment());
        if (c.isEmpty()) return;
        lastSent.putAll(c);
        metrics.commits.increment();
        if (sync) {
            try {
                consumer.commitSync(c);
            } catch (WakeupException e) {
                // close() woke the consumer while it was not polling; the commit itself is still wanted.
                consumer.commitSync(c);
            }
        } else {
            consumer.commitAsync(c, (offs, err) -> {
                // Runs on this thread inside poll(). Without the retry a failed commit (e.g. during a rebalance) would
                // only cost duplicates, but the last one of a quiet stream matters.
                if (err != null) {
                    LOG.info("commit failed, retrying with the next one: {}", err.toString());
                    for (TopicPartition tp : c.keySet()) retry.put(tp, lastSent.get(tp));
                }
            });
        }
    }

    /** The partitions are someone else's now: nothing more is committed for them. */
    void forget(Collection<TopicPartition> parts) {
        for (TopicPartition tp : parts) {
            tracker.forget(tp);
            retry.remove(tp);
            lastSent.remove(tp);
        }
    }
}
