package io.resdet.streamservice;

import io.resdet.image.HostileImages;
import io.resdet.image.RgbImage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Record → frame info → pixels, or the exact reason a frame is rejected; sizes checked before any work. */
class FrameDecoderTest {
    static final FrameDecoder DECODER = new FrameDecoder(100_000, 4096L * 4096);

    static ConsumerRecord<String, byte[]> record(String key, byte[] value, RecordHeaders h) {
        return new ConsumerRecord<>("frames", 0, 7, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1, key, value, h, Optional.empty());
    }

    static String reject(ConsumerRecord<String, byte[]> r) {
        Reject e = assertThrows(Reject.class, () -> DECODER.image(r, DECODER.info(r), w -> {}));
        return e.kind + ": " + e.getMessage();
    }

    @Test
    void headersGiveStreamFrameAndCaptureTime() throws Reject {
        var f = DECODER.info(record("cam", new byte[10], FrameProducer.headers(41, 123, "image/jpeg")));
        assertEquals(new FrameDecoder.FrameInfo("cam", 41, 123), f);
        RecordHeaders noTs = new RecordHeaders();
        noTs.add(Topics.H_FRAME, "5".getBytes(StandardCharsets.UTF_8));
        assertEquals(1_700_000_000_000L, DECODER.info(record("cam", new byte[10], noTs)).captureTs(), "the record's timestamp");
    }

    @Test
    void eachRejectNamesItsReason() {
        RecordHeaders h = FrameProducer.headers(1, 1, "image/png");
        assertEquals("malformed: record has no key (the stream id)", reject(record(null, new byte[1], h)));
        assertEquals("malformed: key (the stream id) is 1025 bytes, more than 1024", reject(record("k".repeat(1025), new byte[1], h)));
        assertEquals("malformed: missing header resdet.frame", reject(record("cam", new byte[1], new RecordHeaders())));
        RecordHeaders bad = new RecordHeaders();
        bad.add(Topics.H_FRAME, ("x".repeat(100)).getBytes(StandardCharsets.UTF_8));
        assertEquals("malformed: header resdet.frame is not a non-negative integer: '" + "x".repeat(63) + "…'",
                reject(record("cam", new byte[1], bad)));
        assertEquals("malformed: record has no value (the image)", reject(record("cam", null, h)));
        assertEquals("oversized: 100001 bytes > max-frame-bytes 100000", reject(record("cam", new byte[100_001], h)));
        assertEquals("oversized: 30000x30000 pixels > max-pixels 16777216",
                reject(record("cam", HostileImages.pngDeclaring(30000, 30000), h)));
        assertEquals("undecodable: cam#1: not an image in a supported format (JPEG, PNG, BMP, GIF)",
                reject(record("cam", "text".getBytes(StandardCharsets.UTF_8), h)));
    }

    @Test
    void truncatedJpegDecodesWithWarningsNamingTheFrame() throws Reject {
        var r = record("cam", HostileImages.truncatedJpeg(320, 240), FrameProducer.headers(4, 1, "image/jpeg"));
        List<String> warnings = new ArrayList<>();
        RgbImage im = DECODER.image(r, DECODER.info(r), warnings::add);
        assertEquals(320, im.width());
        assertEquals(List.of("cam#4: Truncated File - Missing EOI marker", "cam#4: Corrupt JPEG data: premature end of data segment"),
                warnings);
    }
}
