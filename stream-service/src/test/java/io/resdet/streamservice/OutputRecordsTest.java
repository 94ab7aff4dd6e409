package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results carry CloudEvents headers; dead letters always fit the producer's limit, shedding the frame first. */
class OutputRecordsTest {
    static final OutputRecords RECORDS = new OutputRecords("results", "dlq", "g", 1 << 20);

    static ConsumerRecord<String, byte[]> frame(byte[] value, RecordHeaders h) {
        return new ConsumerRecord<>("frames", 2, 9, 0L, TimestampType.CREATE_TIME, -1, -1, "cam", value, h, Optional.empty());
    }

    static String header(ProducerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void resultHasCloudEventsHeadersAndTheImageId() {
        RecordHeaders h = FrameProducer.headers(3, 1_000, "image/jpeg");
        h.add(Topics.H_IMAGE_ID, "img-17".getBytes(StandardCharsets.UTF_8));
        var r = RECORDS.result(frame(new byte[5], h), ResultJson.skipped("cam", 3, 1_000, "m", 5));
        assertEquals("results", r.topic());
        assertEquals("cam", r.key());
        assertEquals("frames-2-9", header(r, "ce_id"));
        assertEquals("urn:resdet:stream-service:g", header(r, "ce_source"));
        assertEquals("1970-01-01T00:00:01Z", header(r, "ce_time"));
        assertEquals("img-17", header(r, Topics.H_IMAGE_ID));
    }

    @Test
    void deadLetterKeepsASmallFrameAndItsHeaders() {
        var d = RECORDS.deadLetter(frame("abc".getBytes(StandardCharsets.UTF_8), FrameProducer.headers(3, 1, "image/jpeg")), "undecodable", "why");
        assertEquals("dlq", d.topic());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), d.value());
        assertEquals("image/jpeg", header(d, Topics.H_CONTENT_TYPE));
        assertEquals("why", header(d, Topics.H_ERROR));
        assertEquals("undecodable", header(d, Topics.H_ERROR_KIND));
        assertEquals("frames-2@9", header(d, Topics.H_SOURCE));
        assertNull(header(d, Topics.H_PAYLOAD_DROPPED));
    }

    @Test
    void aFrameThatWouldNotFitIsDroppedAndSaidSo() {
        var d = RECORDS.deadLetter(frame(new byte[1_048_000], FrameProducer.headers(3, 1, "image/jpeg")), "undecodable", "e".repeat(5000));
        assertNull(d.value());
        assertEquals("1048000", header(d, Topics.H_PAYLOAD_DROPPED));
        assertEquals(OutputRecords.MAX_ERROR_CHARS, header(d, Topics.H_ERROR).length(), "the error is cut");
        assertEquals("image/jpeg", header(d, Topics.H_CONTENT_TYPE), "the frame's headers still fit");
        assertTrue(RECORDS.fits(d));
    }

    @Test
    void hugeFrameHeadersAreDroppedToo() {
        RecordHeaders h = FrameProducer.headers(3, 1, "image/jpeg");
        h.add("junk", new byte[1_047_800]); // the frame fitted Kafka; with the error headers it would not
        var d = RECORDS.deadLetter(frame(new byte[10], h), "malformed", "why");
        assertNull(d.value());
        assertNull(header(d, "junk"));
        assertEquals("4", header(d, Topics.H_HEADERS_DROPPED));
        assertEquals("why", header(d, Topics.H_ERROR));
        assertTrue(RECORDS.fits(d));
    }

    @Test
    void forgedErrorHeadersAreReplaced() {
        RecordHeaders h = FrameProducer.headers(3, 1, "image/jpeg");
        h.add(Topics.H_ERROR, "all fine".getBytes(StandardCharsets.UTF_8));
        var d = RECORDS.deadLetter(frame(new byte[1], h), "undecodable", "real reason");
        int errors = 0;
        for (var x : d.headers()) if (x.key().equals(Topics.H_ERROR)) errors++;
        assertEquals(1, errors, "the sender's error header is not passed on");
        assertEquals("real reason", header(d, Topics.H_ERROR));
    }

    @Test
    void upperBoundIsNeverBelowKafkasOwnSize() {
        RecordHeaders h = FrameProducer.headers(3, 1, "image/jpeg");
        h.add("junk", new byte[300]);
        for (int n : new int[] {0, 1, 127, 128, 20_000, 1_000_000}) {
            // Kafka's own (internal) size of one record in one batch, with the widest deltas a batch can hold.
            long kafka = org.apache.kafka.common.record.internal.DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                    + org.apache.kafka.common.record.internal.DefaultRecord.sizeInBytes(Integer.MAX_VALUE, Long.MAX_VALUE,
                    3, n, h.toArray());
            assertTrue(OutputRecords.upperBound("cam", new byte[n], h) >= kafka, n + " bytes");
        }
    }
}
