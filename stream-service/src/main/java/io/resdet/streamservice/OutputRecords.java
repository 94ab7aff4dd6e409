package io.resdet.streamservice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds what the service writes for a frame: its result (CloudEvents 1.0, Kafka binary mode) or its dead letter.
 *
 * <p>A dead letter must always be publishable, or the frame's offset can never be committed and every restart dies
 * on the same record. So a dead letter is sized against the producer's record limit before it is sent: the frame is
 * kept when it fits beside the error headers, else dropped ({@value Topics#H_PAYLOAD_DROPPED} says how many bytes it
 * had), and the frame's own headers are dropped too when even they do not fit ({@value Topics#H_HEADERS_DROPPED}).
 * {@link #stripped} is the last resort after the broker refused a record anyway (its limit can be below the
 * client's): no payload, no copied headers, only why.
 */
final class OutputRecords {
    /** Error texts are cut here: they quote decoder messages, and a header is no place for a stack of them. */
    static final int MAX_ERROR_CHARS = 1000;
    /** Room left under the limit for what the estimate cannot see (producer batch framing, compression headers). */
    private static final int MARGIN = 1024;

    private final String resultsTopic, dlqTopic, source;
    private final int maxRecordBytes;

    OutputRecords(String resultsTopic, String dlqTopic, String group, int maxRecordBytes) {
        this.resultsTopic = resultsTopic;
        this.dlqTopic = dlqTopic;
        this.source = "urn:resdet:stream-service:" + group;
        this.maxRecordBytes = maxRecordBytes;
    }

    ProducerRecord<String, byte[]> result(ConsumerRecord<String, byte[]> in, ObjectNode json) {
        Headers h = new RecordHeaders();
        // The id is the frame's log position: a redelivered frame yields the same id, so consumers of the
        // at-least-once stream can drop duplicates.
        put(h, "ce_specversion", "1.0");
        put(h, "ce_id", in.topic() + "-" + in.partition() + "-" + in.offset());
        put(h, "ce_source", source);
        put(h, "ce_type", Topics.CE_TYPE);
        put(h, "ce_subject", in.key());
        put(h, "ce_time", Instant.ofEpochMilli(json.get("captureTs").asLong()).toString());
        put(h, "ce_dataschema", Topics.DATASCHEMA);
        put(h, "content-type", "application/json");
        Header id = in.headers().lastHeader(Topics.H_IMAGE_ID);
        if (id != null) h.add(Topics.H_IMAGE_ID, id.value());
        return new ProducerRecord<>(resultsTopic, null, in.key(), ResultJson.bytes(json), h);
    }

    /**
     * A zone or line event of a frame (CloudEvents 1.0, binary mode) for the events topic, keyed by the stream (so a
     * stream's events stay in order in one partition, whatever the topic's partition count). Its id is the frame's log
     * position and the event's index in the frame: a redelivered frame yields the same ids.
     */
    ProducerRecord<String, byte[]> event(ConsumerRecord<String, byte[]> in, int index, String type, long timeMs, String topic, byte[] value) {
        Headers h = new RecordHeaders();
        put(h, "ce_specversion", "1.0");
        put(h, "ce_id", in.topic() + "-" + in.partition() + "-" + in.offset() + "-" + index);
        put(h, "ce_source", source);
        put(h, "ce_type", type);
        put(h, "ce_subject", in.key());
        put(h, "ce_time", Instant.ofEpochMilli(timeMs).toString());
        put(h, "content-type", "application/json");
        return new ProducerRecord<>(topic, null, in.key(), value, h);
    }

    /** The frame with its headers and why it was rejected, as much of it as fits the record limit. */
    ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> in, String kind, String error) {
        Headers h = new RecordHeaders(in.headers().toArray());
        why(h, in, kind, error);
        byte[] value = in.value();
        if (!fits(in.key(), value, h)) {
            value = null;
            put(h, Topics.H_PAYLOAD_DROPPED, String.valueOf(in.value() == null ? 0 : in.value().length));
        }
        if (!fits(in.key(), value, h)) return stripped(in, kind, error);
        return new ProducerRecord<>(dlqTopic, null, in.key(), value, h);
    }

    /** A dead letter with nothing but why: no payload, none of the frame's headers. */
    ProducerRecord<String, byte[]> stripped(ConsumerRecord<String, byte[]> in, String kind, String error) {
        Headers h = new RecordHeaders();
        why(h, in, kind, error);
        put(h, Topics.H_PAYLOAD_DROPPED, String.valueOf(in.value() == null ? 0 : in.value().length));
        put(h, Topics.H_HEADERS_DROPPED, String.valueOf(in.headers().toArray().length));
        String key = in.key() == null ? null : clip(in.key(), FrameDecoder.MAX_KEY_BYTES / 4);
        return new ProducerRecord<>(dlqTopic, null, key, null, h);
    }

    /** Whether a record fits the producer's limit, by Kafka's record-size formula taken as an upper bound. */
    boolean fits(ProducerRecord<String, byte[]> r) {
        return fits(r.key(), r.value(), r.headers());
    }

    private boolean fits(String key, byte[] value, Headers headers) {
        return upperBound(key, value, headers) + MARGIN <= maxRecordBytes;
    }

    /**
     * Kafka's v2 record size with every varint at its widest (5 bytes; 10 for the timestamp delta) and one batch
     * header, so a record this says fits does fit. Kafka's own estimator is internal API that moved in 4.x.
     */
    static long upperBound(String key, byte[] value, Headers headers) {
        long size = 61 /* batch header */ + 5 /* length */ + 1 /* attributes */ + 10 + 5 /* timestamp, offset delta */;
        size += 5 + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
        size += 5 + (value == null ? 0 : value.length);
        size += 5;
        for (Header h : headers) size += 10 + h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        return size;
    }

    private void why(Headers h, ConsumerRecord<String, byte[]> in, String kind, String error) {
        put(h, Topics.H_ERROR, clip(error, MAX_ERROR_CHARS));
        put(h, Topics.H_ERROR_KIND, kind);
        put(h, Topics.H_SOURCE, in.topic() + "-" + in.partition() + "@" + in.offset());
    }

    /** The text cut to {@code max} characters, with an ellipsis when cut. */
    static String clip(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static void put(Headers h, String k, String v) {
        h.remove(k);
        h.add(k, v.getBytes(StandardCharsets.UTF_8));
    }
}
