package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * POST /v1/detect reads the body as image bytes whatever the content type says ({@code curl --data-binary} sends
 * {@code application/x-www-form-urlencoded}), and an error never quotes the body.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpBodyTest {
    static FrameDetector detector;
    static TestHttpServer server;

    @BeforeAll
    static void up() throws Exception {
        detector = TestHttpServer.tinyDetector();
        server = new TestHttpServer(detector, new JsonObject());
    }

    @AfterAll
    static void down() throws Exception {
        if (server != null) server.close();
        if (detector != null) detector.close();
    }

    @Test
    void anyContentTypeIsReadAsTheImage() throws Exception {
        byte[] png = Files.readAllBytes(Path.of("..", "docs", "dashboard.png")); // a real 820x577 screenshot
        var asPng = server.post("/v1/detect", "image/png", png);
        assertEquals(200, asPng.statusCode(), asPng.body());
        JsonObject expected = new JsonObject(asPng.body());
        assertEquals(820, expected.getInteger("width"));
        assertEquals(577, expected.getInteger("height"));
        for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz"}) {
            var r = server.post("/v1/detect", type, png);
            assertEquals(200, r.statusCode(), type + ": " + r.body());
            JsonObject j = new JsonObject(r.body());
            assertEquals(expected.getJsonArray("detections"), j.getJsonArray("detections"), type);
            assertEquals(820, j.getInteger("width"), type);
        }
    }

    @Test
    void aTextBodyIsNotQuotedBack() throws Exception {
        // A bad %-escape: a form parser's error would quote the text around it.
        String text = "name=secret-value-7f3a%zz&note=" + "x".repeat(900);
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain"}) {
            var r = server.post("/v1/detect", type, text.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("request body: not an image in a supported format (JPEG, PNG, BMP, GIF)", new JsonObject(r.body()).getString("error"));
            assertFalse(r.body().contains("secret-value"), r.body());
        }
    }
}
