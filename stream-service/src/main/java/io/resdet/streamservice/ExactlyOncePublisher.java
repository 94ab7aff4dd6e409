package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Exactly-once: each batch's output and its frames' offsets commit in one Kafka transaction, so {@code read_committed}
 * readers see each result once. Records over the producer's limit are replaced by stripped dead letters before
 * sending; if the broker still refuses one (its limit can be lower), the transaction is aborted and sent again with
 * the largest refused record stripped, one record per try. One at a time because the producer fails every record
 * still queued in an aborting transaction with the very exception of the refused one, so the error alone cannot tell
 * the refused record from its innocent neighbours (a small dead letter was once stripped that way). A fenced producer
 * (a newer replica with the same instance id) is fatal. An outcome's extras (zone events, tracker state) go in the
 * same transaction; they are sized so that Kafka takes them, and one it refuses anyway ends the pipeline.
 */
final class ExactlyOncePublisher extends Publisher {
    ExactlyOncePublisher(Properties producerProps, OutputRecords records, Metrics metrics, Listener listener) {
        super(producerProps, records, metrics, listener);
        producer.initTransactions();
    }

    @Override
    void publish(List<Outcome> outs, KafkaConsumer<?, ?> consumer) {
        List<Outcome> batch = new ArrayList<>();
        for (Outcome o : outs) {
            batch.add(records.fits(o.out()) ? o : stripped(o, new RecordTooLargeException("larger than the producer's max.request.size")));
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Outcome o : batch) {
            offsets.merge(new TopicPartition(o.in().topic(), o.in().partition()), new OffsetAndMetadata(o.in().offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        long sent = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            try {
                producer.beginTransaction();
                for (Outcome o : batch) {
                    for (ProducerRecord<String, byte[]> x : o.extras()) producer.send(x); // a refused extra aborts; see below
                    sends.add(producer.send(o.out()));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                break;
            } catch (RuntimeException e) {
                // Fenced or failed: nothing of this batch is visible to read_committed readers and its offsets are not
                // committed, so the frames are read again by whoever owns the partitions next.
                try {
                    producer.abortTransaction();
                } catch (RuntimeException ignored) {
                    // A fenced producer cannot abort; the coordinator aborts for it.
                }
                if (attempt >= batch.size() || !stripLargestRefused(batch, sends)) throw e;
            }
        }
        for (Outcome o : batch) listener.acknowledged(o, sent);
        metrics.commits.increment();
    }

    /**
     * Replaces the largest of the outcomes whose send failed as refused for itself by a stripped dead letter; false if
     * there was none. If it was not the culprit, the next try fails again and strips the next largest.
     */
    private boolean stripLargestRefused(List<Outcome> batch, List<Future<RecordMetadata>> sends) {
        int largest = -1;
        Throwable why = null;
        long largestSize = -1;
        for (int i = 0; i < sends.size(); i++) {
            if (!sends.get(i).isDone() || batch.get(i).kind() == Outcome.Kind.STRIPPED) continue;
            try {
                sends.get(i).get();
            } catch (ExecutionException ee) {
                if (!refusedForItself(ee.getCause())) continue;
                ProducerRecord<String, byte[]> r = batch.get(i).out();
                long size = OutputRecords.upperBound(r.key(), r.value(), r.headers());
                if (size > largestSize) {
                    largest = i;
                    largestSize = size;
                    why = ee.getCause();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (largest < 0) return false;
        batch.set(largest, stripped(batch.get(largest), why));
        return true;
    }
}
