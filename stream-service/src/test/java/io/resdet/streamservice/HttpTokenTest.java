package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Off loopback the HTTP API needs a token (or an explicit --insecure). The server binds 0.0.0.0 and the test connects
 * through 127.0.0.1 only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpTokenTest {
    static final String TOKEN = "test-token-5d1c9e";
    static FrameDetector detector;

    @BeforeAll
    static void up() throws Exception {
        detector = TestHttpServer.tinyDetector();
    }

    @AfterAll
    static void down() {
        if (detector != null) detector.close();
    }

    static int status(TestHttpServer s, HttpRequest.Builder b) throws Exception {
        // Headers are enough (the event stream never ends); the body is dropped unread.
        HttpResponse<InputStream> r = TestHttpServer.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    @Test
    void everythingButHealthNeedsTheToken() throws Exception {
        byte[] jpeg = new SyntheticSource(80, 60, 1, 3).next().bytes();
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject().put("http-host", "0.0.0.0").put("http-token", TOKEN))) {
            for (String path : new String[] {"/events", "/", "/metrics"}) {
                assertEquals(401, status(s, s.request(path)), path);
                assertEquals(401, status(s, s.request(path).header("authorization", "Bearer wrong-" + TOKEN)), path);
                assertEquals(401, status(s, s.request(path + "?token=" + TOKEN + "x")), path);
                assertEquals(200, status(s, s.request(path).header("authorization", "Bearer " + TOKEN)), path);
            }
            var anon = s.post("/v1/detect", "image/jpeg", jpeg);
            assertEquals(401, anon.statusCode());
            assertEquals("Bearer realm=\"resdet\"", anon.headers().firstValue("www-authenticate").orElse(""));
            assertEquals("missing or wrong API token: send 'Authorization: Bearer <token>' (browsers: open /?token=<token>)",
                    new JsonObject(anon.body()).getString("error"));
            assertEquals(401, s.send(s.request("/v1/detect").header("authorization", "Bearer " + TOKEN.substring(1))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg))).statusCode());
            var ok = s.send(s.request("/v1/detect").header("authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(80, new JsonObject(ok.body()).getInteger("width"));
            assertEquals(200, s.get("/health/live").statusCode());
            assertEquals(200, s.get("/health/ready").statusCode());
        }
    }

    @Test
    void theDashboardGetsTheTokenOnceAndKeepsItInACookie() throws Exception {
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject().put("http-host", "0.0.0.0").put("http-token", TOKEN))) {
            var visit = s.get("/?token=" + TOKEN);
            assertEquals(303, visit.statusCode());
            assertEquals("/", visit.headers().firstValue("location").orElse(""));
            assertEquals("resdet_token=" + TOKEN + "; Path=/; HTTPOnly; SameSite=Strict", visit.headers().firstValue("set-cookie").orElse(""));
            assertEquals(200, status(s, s.request("/events").header("cookie", "resdet_token=" + TOKEN)));
            assertEquals(401, status(s, s.request("/events").header("cookie", "resdet_token=nope")));
            assertEquals(200, status(s, s.request("/events?token=" + TOKEN)));
            var page = s.send(s.request("/").header("cookie", "resdet_token=" + TOKEN));
            assertTrue(page.body().contains("new EventSource(\"events\")"));
        }
    }

    @Test
    void anOpenBindNeedsATokenOrInsecure() throws Exception {
        Exception e = assertThrows(Exception.class, () -> new TestHttpServer(detector, new JsonObject().put("http-host", "0.0.0.0")).close());
        assertEquals("refusing to serve HTTP on a non-loopback address without an API token: set --http-token / http-token"
                + " / RESDET_HTTP_TOKEN, or pass --insecure to serve it open", e.getMessage());
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject().put("http-host", "0.0.0.0").put("http-insecure", true))) {
            assertEquals(200, status(s, s.request("/events")));
        }
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject().put("http-host", "127.0.0.1"))) {
            assertEquals(200, status(s, s.request("/events")), "loopback stays open, as for the demo");
        }
    }
}
