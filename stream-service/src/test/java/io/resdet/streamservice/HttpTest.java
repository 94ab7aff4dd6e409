package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, readiness (broker up and down), Prometheus metrics, one-shot detection with its limits, dashboard + SSE. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpTest {
    static TestBroker kafka;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
        kafka.createTopics(1, Topics.FRAMES, Topics.RESULTS, Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpoints() throws Exception {
        JsonObject cfg = TestSetup.serviceConfig(kafka.bootstrap()).put("max-body-bytes", 50_000);
        try (StreamService svc = StreamService.start(cfg);
             FrameProducer p = new FrameProducer(kafka.bootstrap(), Topics.FRAMES, Map.of())) {
            int port = svc.httpPort();
            assertEquals(200, get(port, "/health/live").statusCode());
            var ready = get(port, "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("reachable", new JsonObject(ready.body()).getJsonObject("checks").getString("broker"));

            byte[] jpeg = new SyntheticSource(80, 60, 1, 3).next().bytes();
            var det = post(port, "/v1/detect", jpeg);
            assertEquals(200, det.statusCode(), det.body());
            JsonObject dj = new JsonObject(det.body());
            assertEquals(80, dj.getInteger("width"));
            assertTrue(dj.getJsonArray("detections") != null);
            var bad = post(port, "/v1/detect", "hello".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, bad.statusCode());
            assertTrue(new JsonObject(bad.body()).getString("error").startsWith("request body: not an image"), bad.body());
            var big = post(port, "/v1/detect", new byte[60_000]);
            assertEquals(413, big.statusCode());
            assertEquals("request body larger than max-body-bytes 50000", new JsonObject(big.body()).getString("error"));

            var page = get(port, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("new EventSource(\"events\")"));

            // The dashboard's event stream carries processed frames with their detections.
            HttpResponse<java.io.InputStream> sse = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("text/event-stream", sse.headers().firstValue("content-type").orElse(""));
            p.send("lobby", 0, System.currentTimeMillis(), new SyntheticSource(64, 48, 1, 1).next());
            p.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
                String line;
                JsonObject ev = null;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        ev = new JsonObject(line.substring(6));
                        break;
                    }
                }
                assertTrue(ev != null);
                assertEquals("lobby", ev.getString("stream"));
                assertEquals(0L, ev.getJsonObject("result").getLong("frame"));
                assertTrue(ev.getString("image").length() > 100);
            }

            String metrics = get(port, "/metrics").body();
            assertTrue(metrics.contains("resdet_frames_in_total 1\n"), metrics);
            assertTrue(metrics.contains("resdet_results_out_total 1\n"), metrics);
            assertTrue(metrics.contains("resdet_detect_requests_total 3\n"), metrics);
            assertTrue(metrics.contains("resdet_detect_seconds_count 1\n"), metrics);
            assertTrue(metrics.contains("resdet_batch_size_bucket{le=\"1\"} 1\n"), metrics);
            assertTrue(metrics.contains("# TYPE resdet_end_to_end_seconds histogram"), metrics);

            kafka.stop();
            var down = get(port, "/health/ready");
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("unreachable", new JsonObject(down.body()).getJsonObject("checks").getString("broker"));
            assertEquals(200, get(port, "/health/live").statusCode());
            kafka.restart();
        }
    }
}
