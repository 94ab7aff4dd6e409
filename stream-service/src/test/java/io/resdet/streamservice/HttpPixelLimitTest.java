package io.resdet.streamservice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /v1/detect honours {@code max-pixels} from the image header, before decoding (a 12000x12000 PNG of 140 kB
 * would otherwise take seconds and gigabytes), and reports decoder warnings in the response and the metrics.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpPixelLimitTest {
    static FrameDetector detector;

    @BeforeAll
    static void up() throws Exception {
        detector = TestHttpServer.tinyDetector();
    }

    @AfterAll
    static void down() {
        if (detector != null) detector.close();
    }

    static byte[] blackPng(int w, int h) {
        return io.resdet.image.HostileImages.blackPng(w, h);
    }


    @Test
    void aHugeImageIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = blackPng(12000, 12000);
        assertTrue(bomb.length < 500_000, "" + bomb.length);
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject())) {
            var r = s.post("/v1/detect", "image/png", bomb);
            assertEquals(413, r.statusCode(), r.body());
            assertEquals(new JsonObject().put("error", "request body: image of 12000x12000 pixels, more than max-pixels 16777216"),
                    new JsonObject(r.body()));
        }
    }

    @Test
    void theLimitIsTheConfiguredOne() throws Exception {
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject().put("max-pixels", 10_000))) {
            var small = s.post("/v1/detect", "image/jpeg", new SyntheticSource(80, 60, 1, 3).next().bytes()); // 4,800 pixels
            assertEquals(200, small.statusCode(), small.body());
            var big = s.post("/v1/detect", "image/jpeg", new SyntheticSource(160, 120, 1, 3).next().bytes()); // 19,200 pixels
            assertEquals(413, big.statusCode(), big.body());
            assertEquals("request body: image of 160x120 pixels, more than max-pixels 10000", new JsonObject(big.body()).getString("error"));
        }
    }

    @Test
    void aTruncatedJpegIsDetectedWithItsWarning() throws Exception {
        byte[] jpeg = new SyntheticSource(320, 240, 1, 5).next().bytes();
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject())) {
            var whole = s.post("/v1/detect", "image/jpeg", jpeg);
            assertEquals(200, whole.statusCode(), whole.body());
            assertEquals(new JsonArray(), new JsonObject(whole.body()).getJsonArray("warnings"));
            var cut = s.post("/v1/detect", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2));
            assertEquals(200, cut.statusCode(), cut.body());
            JsonObject j = new JsonObject(cut.body());
            assertEquals(320, j.getInteger("width"));
            assertEquals(new JsonArray().add("request body: Truncated File - Missing EOI marker")
                    .add("request body: Corrupt JPEG data: premature end of data segment"), j.getJsonArray("warnings"));
            assertTrue(s.get("/metrics").body().contains("\nresdet_decode_warnings_total 1\n"));
        }
    }
}
