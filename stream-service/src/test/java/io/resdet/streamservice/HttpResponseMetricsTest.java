package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics counts responses by status class; a 500 carries a request id that the server log has too. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpResponseMetricsTest {
    @Test
    void responsesAreCountedAndA500IsTraceable() throws Exception {
        FrameDetector detector = TestHttpServer.tinyDetector();
        byte[] jpeg = new SyntheticSource(80, 60, 1, 3).next().bytes();
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject())) {
            assertEquals(200, s.post("/v1/detect", "image/jpeg", jpeg).statusCode());
            assertEquals(200, s.get("/health/live").statusCode());
            assertEquals(404, s.get("/nope").statusCode());
            assertEquals(400, s.post("/v1/detect", "image/jpeg", new byte[] {1, 2, 3}).statusCode());
            // A closed model is a real server-side failure: the request is fine, the server is not.
            detector.close();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var broken = s.post("/v1/detect", "image/jpeg", jpeg);
            System.setErr(oldErr);
            assertEquals(500, broken.statusCode(), broken.body());
            String id = broken.headers().firstValue("x-request-id").orElse("");
            assertTrue(id.matches("[0-9a-f]{16}"), id);
            JsonObject body = new JsonObject(broken.body());
            assertEquals(id, body.getString("request_id"));
            assertEquals("internal error; see the server log for request_id " + id, body.getString("error"));
            String log = err.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("HTTP 500, request_id " + id + " (POST /v1/detect)"), log);

            String m = s.get("/metrics").body();
            assertTrue(m.contains("\nresdet_http_responses_total{code=\"2xx\"} 2\n"), m);
            assertTrue(m.contains("\nresdet_http_responses_total{code=\"4xx\"} 2\n"), m);
            assertTrue(m.contains("\nresdet_http_responses_total{code=\"5xx\"} 1\n"), m);
            assertTrue(m.contains("\nresdet_http_responses_total{code=\"3xx\"} 0\n"), m);
        } finally {
            System.setErr(oldErr);
        }
    }
}
