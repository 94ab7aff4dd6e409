package io.resdet.streamservice;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Sends frames of one stream to the frames topic: key = stream id, headers = frame index (from 0), capture time,
 * content type. Idempotent and acks=all, so a retried send neither duplicates nor reorders frames.
 */
public final class FrameProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public FrameProducer(String bootstrap, String topic, Map<String, ?> kafka) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    public Future<?> send(String stream, long frame, long captureTs, FrameSource.Frame f) {
        return send(stream, f.bytes(), headers(frame, captureTs, f.contentType()));
    }

    public Future<?> send(String stream, byte[] value, RecordHeaders h) {
        Exception e = failure.get();
        if (e != null) throw new IllegalStateException("sending frames failed: " + e.getMessage(), e);
        return producer.send(new ProducerRecord<>(topic, null, stream, value, h), (md, err) -> {
            if (err != null) failure.compareAndSet(null, err);
        });
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
        Exception e = failure.get();
        if (e != null) throw new IllegalStateException("sending frames failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        producer.close();
    }
}
