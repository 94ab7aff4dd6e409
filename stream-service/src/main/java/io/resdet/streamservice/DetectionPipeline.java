package io.resdet.streamservice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.Attempts;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
    private final FrameDecoder decoder;
    private final OutputRecords records;
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
    /** Outcomes Kafka refused for the record itself, to be sent again as stripped dead letters (see {@link #send}). */
    private final Queue<Outcome> refused = new ConcurrentLinkedQueue<>();
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
        this.decoder = new FrameDecoder(settings.maxFrameBytes(), settings.maxPixels());
        this.records = new OutputRecords(settings.resultsTopic(), settings.dlqTopic(), settings.group(), settings.maxRecordBytes());
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
        if (s.staticMembership()) p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, s.instanceId());
        // A killed replica's partitions wait this long for a new owner (Kafka's default is 45 s); kafka.* overrides.
        p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
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
            while (running && failure.get() == null) {
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
            if (failure.get() == null) drain();
        } catch (Throwable t) {
            if (running) fail(t);
            started.completeExceptionally(t);
        } finally {
            if (failure.get() != null) {
                // Exit fast: what is still being detected is dropped (its offsets are not committed, a restart reads
                // it again), and nothing waits on it, so neither the rebalance callback below nor close() hangs.
                for (Batch b : batches) b.outcomes.cancel(true);
                batches.clear();
            }
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

    /**
     * Runs on a worker: validate, decode, detect; every record yields exactly one output record, whatever happens to
     * it. Any failure while handling one record dead-letters that record (never the batch, never the pipeline).
     */
    private List<Outcome> process(List<ConsumerRecord<String, byte[]>> recs) {
        try {
            return processRecords(recs);
        } catch (RuntimeException | OutOfMemoryError e) {
            // Last resort (a bug in this class, not a frame): still one dead letter per record, and the stream goes on.
            LOG.error("batch of {} failed: {}", recs.size(), e.toString());
            List<Outcome> out = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : recs) out.add(deadLetter(r, "internal-error", e.toString()));
            return out;
        }
    }

    private List<Outcome> processRecords(List<ConsumerRecord<String, byte[]>> recs) {
        Outcome[] out = new Outcome[recs.size()];
        List<Integer> idx = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        FrameDecoder.FrameInfo[] info = new FrameDecoder.FrameInfo[recs.size()];
        List<List<String>> warnings = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < recs.size(); i++) {
            ConsumerRecord<String, byte[]> r = recs.get(i);
            try {
                FrameDecoder.FrameInfo f = info[i] = decoder.info(r);
                double lagMs = System.currentTimeMillis() - f.captureTs();
                if (s.maxLagMs() > 0 && lagMs > s.maxLagMs()) {
                    metrics.skipped.increment();
                    out[i] = result(r, ResultJson.skipped(f.stream(), f.frame(), f.captureTs(), detector.modelName(), lagMs), "skipped", null);
                    continue;
                }
                long d0 = System.nanoTime();
                List<String> w = new ArrayList<>();
                RgbImage im = decoder.image(r, f, w::add);
                metrics.decodeSeconds.observe((System.nanoTime() - d0) / 1e9);
                idx.add(i);
                images.add(im);
                warnings.add(w);
            } catch (Reject e) {
                out[i] = deadLetter(r, e.kind, e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                out[i] = deadLetter(r, "internal-error", e.toString());
            }
        }
        if (images.isEmpty()) return List.of(out);
        long d0 = System.nanoTime();
        List<Attempts.Attempt> dets = Attempts.detectEach(detector::detect, images);
        metrics.detectSeconds.observe((System.nanoTime() - d0) / 1e9);
        double latency = (System.nanoTime() - t0) / 1e6;
        for (int k = 0; k < idx.size(); k++) {
            int i = idx.get(k);
            ConsumerRecord<String, byte[]> r = recs.get(i);
            if (!dets.get(k).ok()) {
                out[i] = deadLetter(r, "detect-error", dets.get(k).error());
                continue;
            }
            FrameDecoder.FrameInfo f = info[i];
            RgbImage im = images.get(k);
            ObjectNode json = ResultJson.detections(f.stream(), f.frame(), f.captureTs(), im.width(), im.height(),
                    detector.modelName(), latency, dets.get(k).detections());
            if (!warnings.get(k).isEmpty()) {
                // Still a result (the decoder filled what it could not read), but never a silent one.
                ResultJson.warnings(json, warnings.get(k));
                metrics.decodeWarnings.increment();
                LOG.warn("{}", warnings.get(k).get(0));
            }
            out[i] = result(r, json, "result", new LiveFrame(f.stream(), f.frame(), r.value(),
                    header(r.headers(), Topics.H_CONTENT_TYPE, "image/jpeg"), json));
        }
        return List.of(out);
    }

    private static String header(Headers h, String name, String dflt) {
        Header last = h.lastHeader(name);
        return last == null ? dflt : new String(last.value(), StandardCharsets.UTF_8);
    }

    private Outcome result(ConsumerRecord<String, byte[]> in, ObjectNode json, String kind, LiveFrame lf) {
        return new Outcome(in, records.result(in, json), kind, lf);
    }

    private Outcome deadLetter(ConsumerRecord<String, byte[]> in, String kind, String error) {
        metrics.deadLetters.increment();
        LOG.warn("dead letter {}-{}@{} ({}): {}", in.topic(), in.partition(), in.offset(), kind, OutputRecords.clip(error, 300));
        return new Outcome(in, records.deadLetter(in, kind, error), "dead", null);
    }

    /** Publishes finished batches from the head of the queue, in cut order; {@code block}: wait for all. */
    private void publishCompleted(boolean block) throws Exception {
        for (Outcome o; (o = refused.poll()) != null; ) send(o);
        // After a fatal error nothing more is published: later batches would go out ahead of the failed one.
        while (failure.get() == null && !batches.isEmpty() && (block || batches.peekFirst().outcomes.isDone())) {
            Batch b = batches.pollFirst();
            List<Outcome> outs = b.outcomes.get();
            if (s.exactlyOnce()) publishTransaction(outs);
            else for (Outcome o : outs) send(o);
        }
    }

    private void send(Outcome o) {
        TopicPartition tp = new TopicPartition(o.in.topic(), o.in.partition());
        long offset = o.in.offset(), sent = System.nanoTime();
        producer.send(o.out, (md, err) -> {
            if (err == null) {
                acknowledged(o, sent);
                tracker.acked(tp, offset);
            } else if (!(err instanceof RetriableException) && !o.kind.equals("stripped")) {
                // Kafka refused this record itself (too large for the producer or the broker, invalid): the frame still
                // gets a dead letter, carrying only why, so its offset can be committed. Sent again from the pipeline
                // thread, not from this producer callback.
                refused.add(stripped(o, err));
            } else {
                // The producer already retried (idempotently), or even the stripped dead letter was refused: leave
                // the offset uncommitted so a restart re-reads the frame.
                fail(new IllegalStateException("publishing " + tp + "@" + offset + " failed: " + err, err));
            }
        });
    }

    /** The dead letter that replaces an outcome Kafka refused: the original reason if it was one, else why. */
    private Outcome stripped(Outcome o, Throwable err) {
        String kind, error;
        if (o.kind.equals("dead")) {
            kind = header(o.out.headers(), Topics.H_ERROR_KIND, "unpublishable");
            error = header(o.out.headers(), Topics.H_ERROR, "") + " (dead letter refused by Kafka: " + err + ")";
        } else {
            metrics.deadLetters.increment();
            kind = "unpublishable";
            error = "result refused by Kafka: " + err;
        }
        LOG.warn("{}-{}@{} refused by Kafka ({}); sending a dead letter without payload", o.in.topic(), o.in.partition(),
                o.in.offset(), err.toString());
        return new Outcome(o.in, records.stripped(o.in, kind, error), "stripped", null);
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) LOG.error("pipeline stopped: {}", t.toString());
        running = false;
        if (consumer != null) consumer.wakeup();
    }

    private void acknowledged(Outcome o, long sent) {
        inFlight.decrementAndGet();
        metrics.publishSeconds.observe((System.nanoTime() - sent) / 1e9);
        if (o.kind.equals("result") || o.kind.equals("skipped")) {
            metrics.resultsOut.increment();
            if (o.live != null) {
                metrics.endToEndSeconds.observe(Math.max(0, System.currentTimeMillis() - o.live.result().get("captureTs").asLong()) / 1e3);
                live.accept(o.live);
            }
        }
    }

    /**
     * One batch's output and its offsets in one transaction. Records over the producer's limit are replaced by
     * stripped dead letters before sending; if the broker still refuses one (its limit can be lower), the transaction
     * is aborted and sent once more with the refused records stripped.
     */
    private void publishTransaction(List<Outcome> outs) throws InterruptedException {
        List<Outcome> batch = new ArrayList<>();
        for (Outcome o : outs) {
            batch.add(records.fits(o.out) ? o : stripped(o, new RecordTooLargeException("larger than the producer's max.request.size")));
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Outcome o : batch) {
            offsets.merge(new TopicPartition(o.in.topic(), o.in.partition()), new OffsetAndMetadata(o.in.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        long sent = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            try {
                producer.beginTransaction();
                for (Outcome o : batch) sends.add(producer.send(o.out));
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
                if (attempt > 0 || !strippedRefused(batch, sends)) throw e;
            }
        }
        for (Outcome o : batch) acknowledged(o, sent);
        metrics.commits.increment();
    }

    /** Replaces the outcomes whose send Kafka refused for the record itself; false if there were none. */
    private boolean strippedRefused(List<Outcome> batch, List<Future<RecordMetadata>> sends) throws InterruptedException {
        boolean any = false;
        for (int i = 0; i < sends.size(); i++) {
            if (!sends.get(i).isDone() || batch.get(i).kind.equals("stripped")) continue;
            try {
                sends.get(i).get();
            } catch (ExecutionException ee) {
                if (ee.getCause() instanceof RetriableException || ee.getCause() instanceof ProducerFencedException) continue;
                batch.set(i, stripped(batch.get(i), ee.getCause()));
                any = true;
            }
        }
        return any;
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
                if (failure.get() == null) drain();
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
