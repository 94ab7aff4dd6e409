package io.resdet.streamservice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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
 * frames topic → {@link FrameProcessor} (decode, detect; on workers) → [{@link StreamTracking} (track ids, zone
 * events; in log order)] → {@link Publisher} (publish, commit).
 *
 * <p>This class is the loop that joins them: one thread owns the Kafka consumer (it is not thread-safe), cuts
 * micro-batches ({@code batch-size} frames or {@code batch-ms}), hands them to the worker pool and publishes finished
 * batches strictly in the order they were cut, so records of one partition, hence of one stream, come out in the
 * order they went in, however the workers interleave. The delivery mode (at-least-once or exactly-once) is the
 * publisher's business.
 *
 * <p>Backpressure: when too many frames are in flight the assigned partitions are paused; polling continues, so the
 * group sees a live member and does not rebalance. A fatal error stops the loop at once: nothing more is published,
 * work in flight is dropped uncommitted (a restart reads it again), and nothing waits on it.
 */
public final class DetectionPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionPipeline.class);

    /** What the dashboard gets for each processed frame. */
    public record LiveFrame(String stream, long frame, byte[] image, String contentType, ObjectNode result) {}

    private record Batch(List<ConsumerRecord<String, byte[]>> records, CompletableFuture<List<Outcome>> outcomes) {}

    private final PipelineSettings s;
    private final FrameProcessor processor;
    private final OutputRecords records;
    private final Metrics metrics;
    private final Consumer<LiveFrame> live;
    private final ExecutorService workers;
    private final Thread thread;
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private final List<ConsumerRecord<String, byte[]>> buffer = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private long bufferStart;
    private long lastLagUpdate;
    private KafkaConsumer<String, byte[]> consumer;
    private Publisher publisher;
    /** serve --track: track ids, zone events and tracker state; null when tracking is off. */
    private StreamTracking tracking;

    public DetectionPipeline(PipelineSettings settings, FrameDetector detector, Metrics metrics, Consumer<LiveFrame> live) {
        this.s = settings;
        this.records = new OutputRecords(settings.resultsTopic(), settings.dlqTopic(), settings.group(), settings.maxRecordBytes());
        this.processor = new FrameProcessor(new FrameDecoder(settings.maxFrameBytes(), settings.maxPixels()), detector, records,
                metrics, settings.maxLagMs());
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

    private void run() {
        try {
            if (s.tracking() != null) {
                TrackingTopics.ensure(s);
                tracking = new StreamTracking(s, metrics).records(records);
            }
            consumer = new KafkaConsumer<>(consumerProps());
            publisher = Publisher.create(s, records, metrics, new Publisher.Listener() {
                @Override
                public void acknowledged(Outcome o, long sentNanos) {
                    DetectionPipeline.this.acknowledged(o, sentNanos);
                }

                @Override
                public void fatal(Throwable t) {
                    fail(t);
                }
            });
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
                    publisher.consumed(r);
                    inFlight.incrementAndGet();
                    metrics.framesIn.increment();
                    if (buffer.size() >= s.batchSize()) dispatch();
                }
                if (!buffer.isEmpty() && System.nanoTime() - bufferStart >= s.batchMs() * 1_000_000L) dispatch();
                publishCompleted(false);
                publisher.tick(consumer);
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
                for (Batch b : batches) b.outcomes().cancel(true);
                batches.clear();
            }
            workers.shutdownNow();
            if (consumer != null) consumer.close(Duration.ofSeconds(5));
            if (publisher != null) publisher.close();
        }
    }

    private void dispatch() {
        List<ConsumerRecord<String, byte[]>> recs = new ArrayList<>(buffer);
        buffer.clear();
        metrics.batchSize.observe(recs.size());
        batches.addLast(new Batch(recs, CompletableFuture.supplyAsync(() -> processor.process(recs), workers)));
    }

    /** Publishes finished batches from the head of the queue, in cut order; {@code block}: wait for all. */
    private void publishCompleted(boolean block) throws Exception {
        // After a fatal error nothing more is published: later batches would go out ahead of the failed one.
        while (failure.get() == null && !batches.isEmpty() && (block || batches.peekFirst().outcomes().isDone())) {
            List<Outcome> outs = batches.pollFirst().outcomes().get();
            publisher.publish(tracking == null ? outs : tracking.apply(outs), consumer);
        }
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) LOG.error("pipeline stopped: {}", t.toString());
        running = false;
        if (consumer != null) consumer.wakeup();
    }

    private void acknowledged(Outcome o, long sent) {
        inFlight.decrementAndGet();
        metrics.publishSeconds.observe((System.nanoTime() - sent) / 1e9);
        if (!o.isResult()) return;
        metrics.resultsOut.increment();
        if (o.live() != null) {
            metrics.endToEndSeconds.observe(Math.max(0, System.currentTimeMillis() - o.live().result().get("captureTs").asLong()) / 1e3);
            live.accept(o.live());
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
        publisher.flush(consumer);
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
            forget(parts);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            assigned = !consumer.assignment().isEmpty();
            if (!parts.isEmpty()) LOG.info("assigned {}", parts);
            if (tracking != null) tracking.restore(parts);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            // Someone else owns these now; committing for them would be rejected, their frames are re-read there.
            forget(parts);
        }

        private void forget(Collection<TopicPartition> parts) {
            publisher.forget(parts);
            if (tracking != null) tracking.forget(parts);
            for (TopicPartition tp : parts) metrics.lag.remove(tp.toString());
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
