package io.resdet.streamservice;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Sends frames of one stream to the frames topic: key = stream id, headers = frame index (from 0), capture time,
 * content type. Idempotent and acks=all, so a retried send neither duplicates nor reorders frames.
 */
public final class FrameProducer implements AutoCloseable {
    /** How long without an acknowledgement, with frames waiting, counts as an outage worth saying so. */
    static final long OUTAGE_NOTICE_MS = 5_000;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic, bootstrap;
    private final long outageMs;
    private final Consumer<String> notices;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acked = new AtomicLong(), sent = new AtomicLong();
    private final AtomicLong lastAck = new AtomicLong(System.currentTimeMillis());
    private final Thread watch;
    private long outageNoticed = -1;

    public FrameProducer(String bootstrap, String topic, Map<String, ?> kafka) {
        this(bootstrap, topic, kafka, Duration.ofSeconds(60), notice -> {});
    }

    /**
     * {@code outage}: how long the producer keeps retrying (with Kafka's exponential backoff, idempotently, so
     * nothing is duplicated or reordered) while the broker is unreachable, before giving up; {@code notices} gets
     * one line when an outage starts and one when it ends.
     */
    public FrameProducer(String bootstrap, String topic, Map<String, ?> kafka, Duration outage, Consumer<String> notices) {
        this.bootstrap = bootstrap;
        this.outageMs = outage.toMillis();
        this.notices = notices;
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Both bounds are the outage allowance: send() blocks at most this long for metadata or buffer space, and a
        // frame is retried at most this long before it counts as failed.
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(outageMs));
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        long floor = Long.parseLong(p.getProperty(ProducerConfig.LINGER_MS_CONFIG))
                + Long.parseLong(String.valueOf(p.getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000")));
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(outageMs, floor)));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
        this.topic = topic;
        // A send blocked on a full buffer cannot speak, so a watcher says when an outage starts and ends.
        watch = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    noticeOutage();
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "resdet-produce-watch");
        watch.setDaemon(true);
        watch.start();
    }

    public Future<?> send(String stream, long frame, long captureTs, FrameSource.Frame f) {
        return send(stream, f.bytes(), headers(frame, captureTs, f.contentType()));
    }

    public Future<?> send(String stream, byte[] value, RecordHeaders h) {
        throwIfFailed();
        sent.incrementAndGet();
        return producer.send(new ProducerRecord<>(topic, null, stream, value, h), (md, err) -> {
            if (err != null) {
                failure.compareAndSet(null, err);
                return;
            }
            acked.incrementAndGet();
            lastAck.set(System.currentTimeMillis());
        });
    }

    /** Frames the broker acknowledged so far. */
    public long acknowledged() {
        return acked.get();
    }

    /** Says once when frames have waited {@link #OUTAGE_NOTICE_MS} without an acknowledgement, and when that ends. */
    private synchronized void noticeOutage() {
        long now = System.currentTimeMillis(), quiet = now - lastAck.get();
        boolean waiting = sent.get() > acked.get();
        if (outageNoticed < 0 && waiting && quiet > OUTAGE_NOTICE_MS) {
            outageNoticed = lastAck.get();
            notices.accept("broker " + bootstrap + " has acknowledged nothing for " + quiet / 1000 + " s; retrying for up to "
                    + outageMs / 1000 + " s, frames wait in order");
        } else if (outageNoticed >= 0 && lastAck.get() > outageNoticed) {
            notices.accept("broker " + bootstrap + " acknowledges again after " + (lastAck.get() - outageNoticed) / 1000 + " s");
            outageNoticed = -1;
        }
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e == null) return;
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            throw new IllegalStateException("broker " + bootstrap + " unreachable for more than " + outageMs / 1000 + " s; "
                    + acked.get() + " frames were acknowledged before (" + e.getMessage() + ")", e);
        }
        throw new IllegalStateException("sending frames failed: " + e.getMessage(), e);
    }

    public static RecordHeaders headers(long frame, long captureTs, String contentType) {
        RecordHeaders h = new RecordHeaders();
        h.add(Topics.H_FRAME, Long.toString(frame).getBytes(StandardCharsets.UTF_8));
        h.add(Topics.H_CAPTURE_TS, Long.toString(captureTs).getBytes(StandardCharsets.UTF_8));
        h.add(Topics.H_CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    /**
     * Sends every frame of {@code source} as stream {@code stream}, paced at {@code fps} (≤ 0: as fast as possible);
     * returns the number sent once the broker acknowledged all of them.
     */
    public long run(String stream, FrameSource source, double fps, LongConsumer progress) throws Exception {
        long n = 0, start = System.nanoTime();
        FrameSource.Frame f;
        while ((f = source.next()) != null) {
            if (fps > 0) {
                long due = start + (long) (n * 1e9 / fps);
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            }
            send(stream, n, System.currentTimeMillis(), f);
            n++;
            if (progress != null) progress.accept(n);
        }
        flush();
        return n;
    }

    /** Waits until everything sent so far is acknowledged; throws the first failure. */
    public void flush() {
        producer.flush();
        noticeOutage();
        throwIfFailed();
    }

    @Override
    public void close() {
        watch.interrupt();
        producer.close();
    }
}
