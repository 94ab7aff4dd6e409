package io.resdet.streamservice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.Detection;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * frames topic → decode → micro-batch → detect (worker pool) → publish → commit.
 *
 * <p>One thread owns the Kafka consumer (it is not thread-safe) and the publishing; detection runs on a worker pool.
 * Micro-batches are published strictly in the order they were cut, so records of one partition, hence of one
 * stream, come out in the order they went in, however the workers interleave.
 *
 * <p>At-least-once: a frame's offset is committed only after the broker acknowledged its result (or dead letter),
 * and only as part of an acknowledged prefix of its partition ({@link OffsetTracker}). Exactly-once: each batch's
 * results and its offsets go in one Kafka transaction.
 *
 * <p>Backpressure: when too many frames are in flight the assigned partitions are paused; polling continues, so the
 * group sees a live member and does not rebalance.
 */
public final class DetectionPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionPipeline.class);

    /** What the dashboard gets for each processed frame. */
    public record LiveFrame(String stream, long frame, byte[] image, String contentType, ObjectNode result) {}

    private final PipelineSettings s;
    private final FrameDetector detector;
    private final Metrics metrics;
    private final Consumer<LiveFrame> live;
    private final ExecutorService workers;
    private final Thread thread;
    private final OffsetTracker tracker = new OffsetTracker();
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private final List<ConsumerRecord<String, byte[]>> buffer = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<TopicPartition, OffsetAndMetadata> retryCommit = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> lastSent = new HashMap<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private long bufferStart;
    private long lastLagUpdate;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;

    private record Outcome(ConsumerRecord<String, byte[]> in, ProducerRecord<String, byte[]> out, String kind,
                           LiveFrame live) {}

    private static final class Batch {
        final List<ConsumerRecord<String, byte[]>> records;
        final CompletableFuture<List<Outcome>> outcomes;

        Batch(List<ConsumerRecord<String, byte[]>> records, CompletableFuture<List<Outcome>> outcomes) {
            this.records = records;
            this.outcomes = outcomes;
        }
    }

    public DetectionPipeline(PipelineSettings settings, FrameDetector detector, Metrics metrics, Consumer<LiveFrame> live) {
        this.s = settings;
        this.detector = detector;
        this.metrics = metrics;
        this.live = live == null ? f -> {} : live;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "resdet-detect-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "resdet-pipeline");
    }

    /** Starts the consumer thread; the future completes once the Kafka clients are up (or fails with why not). */
    public CompletableFuture<Void> start() {
        thread.start();
        return started;
    }

    /** True while the loop runs without a fatal error. */
    public boolean healthy() {
        return thread.isAlive() && failure.get() == null;
    }

    public Throwable failure() {
        return failure.get();
    }

    public boolean hasAssignment() {
        return assigned;
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.putAll(s.kafka());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, s.instanceId() + "-consumer");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Frames written by a transactional producer are only seen once committed.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(1, Math.min(500, s.maxInFlight()))));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.putAll(s.kafka());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, s.instanceId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (s.exactlyOnce()) p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, s.group() + "-" + s.instanceId());
        return p;
    }

    private void run() {
        try {
            consumer = new KafkaConsumer<>(consumerProps());
            producer = new KafkaProducer<>(producerProps());
            if (s.exactlyOnce()) producer.initTransactions();
            consumer.subscribe(List.of(s.framesTopic()), new Rebalance());
            started.complete(null);
            while (running) {
                ConsumerRecords<String, byte[]> recs;
                try {
                    recs = consumer.poll(Duration.ofMillis(Math.min(100, s.batchMs())));
                } catch (WakeupException e) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : recs) {
                    if (buffer.isEmpty()) bufferStart = System.nanoTime();
                    buffer.add(r);
                    if (!s.exactlyOnce()) tracker.consumed(new TopicPartition(r.topic(), r.partition()), r.offset());
                    inFlight.incrementAndGet();
                    metrics.framesIn.increment();
                    if (buffer.size() >= s.batchSize()) dispatch();
                }
                if (!buffer.isEmpty() && System.nanoTime() - bufferStart >= s.batchMs() * 1_000_000L) dispatch();
                publishCompleted(false);
                commitReady(false);
                backpressure();
                updateLag();
            }
            drain();
        } catch (Throwable t) {
            if (running) {
                LOG.error("pipeline stopped: {}", t.toString());
                failure.set(t);
            }
            started.completeExceptionally(t);
        } finally {
            workers.shutdownNow();
            if (consumer != null) consumer.close(Duration.ofSeconds(5));
            if (producer != null) producer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch() {
        List<ConsumerRecord<String, byte[]>> recs = new ArrayList<>(buffer);
        buffer.clear();
        metrics.batchSize.observe(recs.size());
        batches.addLast(new Batch(recs, CompletableFuture.supplyAsync(() -> process(recs), workers)));
    }

    /** Runs on a worker: validate, decode, detect; every record yields exactly one output record. */
    private List<Outcome> process(List<ConsumerRecord<String, byte[]>> recs) {
        Outcome[] out = new Outcome[recs.size()];
        List<Integer> idx = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        long[] frames = new long[recs.size()], captured = new long[recs.size()];
        long t0 = System.nanoTime();
        for (int i = 0; i < recs.size(); i++) {
            ConsumerRecord<String, byte[]> r = recs.get(i);
            try {
                if (r.key() == null || r.key().isBlank()) throw new Reject("malformed", "record has no key (the stream id)");
                frames[i] = longHeader(r.headers(), Topics.H_FRAME, true);
                captured[i] = longHeader(r.headers(), Topics.H_CAPTURE_TS, false);
                if (captured[i] < 0) captured[i] = r.timestamp();
                if (r.value() == null) throw new Reject("malformed", "record has no value (the image)");
                if (r.value().length > s.maxFrameBytes()) {
                    throw new Reject("oversized", r.value().length + " bytes > max-frame-bytes " + s.maxFrameBytes());
                }
                double lagMs = System.currentTimeMillis() - captured[i];
                if (s.maxLagMs() > 0 && lagMs > s.maxLagMs()) {
                    metrics.skipped.increment();
                    out[i] = result(r, ResultJson.skipped(r.key(), frames[i], captured[i], detector.modelName(), lagMs), "skipped", null);
                    continue;
                }
                long d0 = System.nanoTime();
                RgbImage im;
                try {
                    im = Images.decode(r.value(), r.key() + "#" + frames[i]);
                } catch (IOException e) {
                    throw new Reject("undecodable", e.getMessage());
                }
                metrics.decodeSeconds.observe((System.nanoTime() - d0) / 1e9);
                if ((long) im.width() * im.height() > s.maxPixels()) {
                    throw new Reject("oversized", im.width() + "x" + im.height() + " pixels > max-pixels " + s.maxPixels());
                }
                idx.add(i);
                images.add(im);
            } catch (Reject e) {
                out[i] = deadLetter(r, e.kind, e.getMessage());
            }
        }
        if (!images.isEmpty()) {
            long d0 = System.nanoTime();
            List<List<Detection>> dets;
            try {
                dets = detector.detect(images);
            } catch (RuntimeException e) {
                // One bad frame must not stop the stream: the whole batch goes to dead letters with the cause.
                for (int i : idx) out[i] = deadLetter(recs.get(i), "detect-error", String.valueOf(e.getMessage()));
                return List.of(out);
            }
            metrics.detectSeconds.observe((System.nanoTime() - d0) / 1e9);
            double latency = (System.nanoTime() - t0) / 1e6;
            for (int k = 0; k < idx.size(); k++) {
                int i = idx.get(k);
                ConsumerRecord<String, byte[]> r = recs.get(i);
                RgbImage im = images.get(k);
                ObjectNode json = ResultJson.detections(r.key(), frames[i], captured[i], im.width(), im.height(),
                        detector.modelName(), latency, dets.get(k));
                out[i] = result(r, json, "result", new LiveFrame(r.key(), frames[i], r.value(),
                        header(r.headers(), Topics.H_CONTENT_TYPE, "image/jpeg"), json));
            }
        }
        return List.of(out);
    }

    private static final class Reject extends Exception {
        final String kind;

        Reject(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private static long longHeader(Headers h, String name, boolean required) throws Reject {
        Header last = h.lastHeader(name);
        if (last == null) {
            if (required) throw new Reject("malformed", "missing header " + name);
            return -1;
        }
        String v = new String(last.value(), StandardCharsets.UTF_8).trim();
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new Reject("malformed", "header " + name + " is not a non-negative integer: '" + v + "'");
        }
    }

    private static String header(Headers h, String name, String dflt) {
        Header last = h.lastHeader(name);
        return last == null ? dflt : new String(last.value(), StandardCharsets.UTF_8);
    }

    private Outcome result(ConsumerRecord<String, byte[]> in, ObjectNode json, String kind, LiveFrame lf) {
        Headers h = new RecordHeaders();
        // CloudEvents 1.0 Kafka binary mode. The id is the frame's log position: a redelivered frame yields the same
        // id, so consumers of the at-least-once stream can drop duplicates.
        put(h, "ce_specversion", "1.0");
        put(h, "ce_id", in.topic() + "-" + in.partition() + "-" + in.offset());
        put(h, "ce_source", "urn:resdet:stream-service:" + s.group());
        put(h, "ce_type", Topics.CE_TYPE);
        put(h, "ce_subject", in.key());
        put(h, "ce_time", Instant.ofEpochMilli(json.get("captureTs").asLong()).toString());
        put(h, "ce_dataschema", "https://resdet.io/schemas/resdet-detections-v1.schema.json");
        put(h, "content-type", "application/json");
        Header id = in.headers().lastHeader(Topics.H_IMAGE_ID);
        if (id != null) h.add(Topics.H_IMAGE_ID, id.value());
        return new Outcome(in, new ProducerRecord<>(s.resultsTopic(), null, in.key(), ResultJson.bytes(json), h), kind, lf);
    }

    private Outcome deadLetter(ConsumerRecord<String, byte[]> in, String kind, String error) {
        Headers h = new RecordHeaders(in.headers().toArray());
        put(h, Topics.H_ERROR, error);
        put(h, Topics.H_ERROR_KIND, kind);
        put(h, Topics.H_SOURCE, in.topic() + "-" + in.partition() + "@" + in.offset());
        metrics.deadLetters.increment();
        LOG.warn("dead letter {}-{}@{} ({}): {}", in.topic(), in.partition(), in.offset(), kind, error);
        return new Outcome(in, new ProducerRecord<>(s.dlqTopic(), null, in.key(), in.value(), h), "dead", null);
    }

    private static void put(Headers h, String k, String v) {
        h.remove(k);
        h.add(k, v.getBytes(StandardCharsets.UTF_8));
    }

    /** Publishes finished batches from the head of the queue, in cut order; {@code block}: wait for all. */
    private void publishCompleted(boolean block) throws Exception {
        while (!batches.isEmpty() && (block || batches.peekFirst().outcomes.isDone())) {
            Batch b = batches.pollFirst();
            List<Outcome> outs = b.outcomes.get();
            if (s.exactlyOnce()) publishTransaction(outs);
            else publishAtLeastOnce(outs);
        }
    }

    private void publishAtLeastOnce(List<Outcome> outs) {
        for (Outcome o : outs) {
            TopicPartition tp = new TopicPartition(o.in.topic(), o.in.partition());
            long offset = o.in.offset(), sent = System.nanoTime();
            producer.send(o.out, (md, err) -> {
                if (err != null) {
                    // The producer already retried (idempotently); give up and leave the offset uncommitted so a
                    // restart re-reads the frame.
                    failure.compareAndSet(null, new IllegalStateException("publishing " + tp + "@" + offset + " failed: " + err, err));
                    running = false;
                    consumer.wakeup();
                    return;
                }
                acknowledged(o, sent);
                tracker.acked(tp, offset);
            });
        }
    }

    private void acknowledged(Outcome o, long sent) {
        inFlight.decrementAndGet();
        metrics.publishSeconds.observe((System.nanoTime() - sent) / 1e9);
        if (!"dead".equals(o.kind)) {
            metrics.resultsOut.increment();
            if (o.live != null) {
                metrics.endToEndSeconds.observe(Math.max(0, System.currentTimeMillis() - o.live.result().get("captureTs").asLong()) / 1e3);
                live.accept(o.live);
            }
        }
    }

    private void publishTransaction(List<Outcome> outs) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long sent = System.nanoTime();
        producer.beginTransaction();
        try {
            for (Outcome o : outs) {
                producer.send(o.out);
                offsets.merge(new TopicPartition(o.in.topic(), o.in.partition()), new OffsetAndMetadata(o.in.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            // Fenced or failed: nothing of this batch is visible to read_committed readers and its offsets are not
            // committed, so the frames are read again by whoever owns the partitions next.
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // A fenced producer cannot abort; the coordinator aborts for it.
            }
            throw e;
        }
        for (Outcome o : outs) acknowledged(o, sent);
        metrics.commits.increment();
    }

    private void commitReady(boolean sync) {
        if (s.exactlyOnce()) return;
        Map<TopicPartition, OffsetAndMetadata> c = new HashMap<>(retryCommit);
        retryCommit.clear();
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
                // Runs on this thread inside poll(): safe to touch retryCommit. Without the retry a failed commit
                // (e.g. during a rebalance) would only cost duplicates, but the last one of a quiet stream matters.
                if (err != null) {
                    LOG.info("commit failed, retrying with the next one: {}", err.toString());
                    // Retry with the newest position sent, never an older one: a later commit may already have won.
                    for (TopicPartition tp : c.keySet()) retryCommit.put(tp, lastSent.get(tp));
                }
            });
        }
    }

    private void backpressure() {
        metrics.inFlight.set(inFlight.get());
        Set<TopicPartition> paused = consumer.paused();
        if (inFlight.get() >= s.maxInFlight()) {
            Set<TopicPartition> toPause = new HashSet<>(consumer.assignment());
            toPause.removeAll(paused);
            if (!toPause.isEmpty()) consumer.pause(toPause);
        } else if (!paused.isEmpty() && inFlight.get() <= s.maxInFlight() / 2) {
            consumer.resume(paused);
        }
        metrics.pausedPartitions.set(consumer.paused().size());
    }

    private void updateLag() {
        long now = System.nanoTime();
        if (now - lastLagUpdate < 1_000_000_000L) return;
        lastLagUpdate = now;
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(l -> metrics.lag.put(tp.toString(), l));
        }
    }

    /** Finishes everything in flight and commits it: before giving partitions away and before stopping. */
    private void drain() throws Exception {
        if (!buffer.isEmpty()) dispatch();
        publishCompleted(true);
        producer.flush();
        commitReady(true);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            if (parts.isEmpty()) return;
            try {
                drain();
            } catch (Exception e) {
                LOG.warn("draining before rebalance failed: {}", e.toString());
            }
            for (TopicPartition tp : parts) {
                tracker.forget(tp);
                retryCommit.remove(tp);
                lastSent.remove(tp);
                metrics.lag.remove(tp.toString());
            }
            assigned = !consumer.assignment().isEmpty();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            assigned = !consumer.assignment().isEmpty();
            if (!parts.isEmpty()) LOG.info("assigned {}", parts);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            // Someone else owns these now; committing for them would be rejected, their frames are re-read there.
            for (TopicPartition tp : parts) {
                tracker.forget(tp);
                retryCommit.remove(tp);
                lastSent.remove(tp);
            }
            assigned = !consumer.assignment().isEmpty();
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
