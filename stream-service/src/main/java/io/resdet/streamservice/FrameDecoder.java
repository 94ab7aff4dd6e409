package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One frame record → its stream, frame index and capture time, then its pixels; anything wrong is a {@link Reject}
 * naming the problem. Sizes are checked before work: the record's length against {@code max-frame-bytes}, the
 * pixel count from the image header against {@code max-pixels}, so a small file declaring a huge canvas costs nothing.
 */
final class FrameDecoder {
    /** Stream ids are names, not payloads: a longer key is refused so results and dead letters stay small. */
    static final int MAX_KEY_BYTES = 1024;

    /** What the headers say about a frame. {@code captureTs}: the capture header, else the record's timestamp. */
    record FrameInfo(String stream, long frame, long captureTs) {}

    private final int maxFrameBytes;
    private final long maxPixels;

    FrameDecoder(int maxFrameBytes, long maxPixels) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxPixels = maxPixels;
    }

    FrameInfo info(ConsumerRecord<String, byte[]> r) throws Reject {
        if (r.key() == null || r.key().isBlank()) throw new Reject("malformed", "record has no key (the stream id)");
        int keyBytes = r.key().getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > MAX_KEY_BYTES) throw new Reject("malformed", "key (the stream id) is " + keyBytes + " bytes, more than " + MAX_KEY_BYTES);
        long frame = longHeader(r.headers(), Topics.H_FRAME, true);
        long captured = longHeader(r.headers(), Topics.H_CAPTURE_TS, false);
        if (r.value() == null) throw new Reject("malformed", "record has no value (the image)");
        if (r.value().length > maxFrameBytes) {
            throw new Reject("oversized", r.value().length + " bytes > max-frame-bytes " + maxFrameBytes);
        }
        return new FrameInfo(r.key(), frame, captured < 0 ? r.timestamp() : captured);
    }

    /** Decodes the frame; decoder warnings (a truncated JPEG is filled with grey) go to {@code warnings}. */
    RgbImage image(ConsumerRecord<String, byte[]> r, FrameInfo f, Consumer<String> warnings) throws Reject {
        try {
            return Images.decode(r.value(), f.stream() + "#" + f.frame(), maxPixels, warnings);
        } catch (Images.TooLargeException e) {
            throw new Reject("oversized", e.width() + "x" + e.height() + " pixels > max-pixels " + maxPixels);
        } catch (IOException e) {
            throw new Reject("undecodable", e.getMessage());
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
            throw new Reject("malformed", "header " + name + " is not a non-negative integer: '" + OutputRecords.clip(v, 64) + "'");
        }
    }
}
