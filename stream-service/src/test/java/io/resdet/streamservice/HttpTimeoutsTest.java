package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that hold connections without finishing a request are cut off (idle timeout 1 s, whole-request deadline
 * 2 s here), connections beyond http-max-connections are closed on arrival, and detections beyond
 * http-max-concurrent-detects are told to retry. Raw sockets, so the test controls every byte and pause.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpTimeoutsTest {
    static FrameDetector detector;
    static final JsonObject FAST = new JsonObject().put("http-idle-timeout-s", 1).put("http-request-timeout-s", 2);

    @BeforeAll
    static void up() throws Exception {
        detector = TestHttpServer.tinyDetector();
    }

    @AfterAll
    static void down() {
        if (detector != null) detector.close();
    }

    static Socket open(TestHttpServer s) throws IOException {
        Socket so = new Socket("127.0.0.1", s.port);
        so.setSoTimeout(10_000);
        return so;
    }

    /** Reads until the server closes the connection; returns what it sent. Fails if it stays open 10 s. */
    static String readToClose(Socket so) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = so.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
        } catch (SocketException e) {
            // reset by the server: closed as well
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after 10 s; got: " + got);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    static final String POST_HEAD = "POST /v1/detect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: ";

    @Test
    void aBodyThatStopsIsDroppedAtTheIdleTimeout() throws Exception {
        try (TestHttpServer s = new TestHttpServer(detector, FAST); Socket so = open(s)) {
            OutputStream out = so.getOutputStream();
            out.write((POST_HEAD + 7_800_000 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[3_000_000]); // then nothing more
            out.flush();
            long t0 = System.nanoTime();
            readToClose(so);
            double s1 = (System.nanoTime() - t0) / 1e9;
            assertTrue(s1 < 1 + 1.5, "closed after " + s1 + " s");
            awaitMetric(s, "resdet_http_connections 1\n"); // only the scrape's own connection is left
        }
    }

    @Test
    void aDribbledBodyGets408AtTheRequestDeadline() throws Exception {
        try (TestHttpServer s = new TestHttpServer(detector, FAST); Socket so = open(s)) {
            OutputStream out = so.getOutputStream();
            out.write((POST_HEAD + 1000 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            // One byte every 0.3 s: never idle for 1 s, never done.
            CompletableFuture<Void> dribble = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(300);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: expected
                }
            });
            String got = readToClose(so);
            double s1 = (System.nanoTime() - t0) / 1e9;
            assertTrue(got.startsWith("HTTP/1.1 408 Request Timeout\r\n"), got);
            assertTrue(got.endsWith("\r\n\r\n{\"error\":\"request not received within http-request-timeout-s 2\"}"), got);
            assertTrue(s1 >= 1.9 && s1 < 2 + 1.5, "closed after " + s1 + " s");
            dribble.get(40, TimeUnit.SECONDS);
        }
    }

    @Test
    void dribbledHeadersAreCutAtTheRequestDeadline() throws Exception {
        // Idle above the deadline, so what cuts the connection at 2 s is the deadline.
        JsonObject cfg = new JsonObject().put("http-idle-timeout-s", 5).put("http-request-timeout-s", 2);
        try (TestHttpServer s = new TestHttpServer(detector, cfg); Socket so = open(s)) {
            OutputStream out = so.getOutputStream();
            long t0 = System.nanoTime();
            CompletableFuture<Void> dribble = CompletableFuture.runAsync(() -> {
                try {
                    out.write("GET /health/live HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(300);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: expected
                }
            });
            assertEquals("", readToClose(so));
            double s1 = (System.nanoTime() - t0) / 1e9;
            assertTrue(s1 >= 1.9 && s1 < 2 + 1.5, "closed after " + s1 + " s");
            dribble.get(40, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedOnArrival() throws Exception {
        JsonObject cfg = new JsonObject().put("http-max-connections", 3).put("http-idle-timeout-s", 60).put("http-request-timeout-s", 60);
        try (TestHttpServer s = new TestHttpServer(detector, cfg)) {
            List<Socket> kept = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket so = open(s);
                kept.add(so);
                assertTrue(roundTrip(so).startsWith("HTTP/1.1 200 OK\r\n"));
            }
            for (int i = 0; i < 2; i++) {
                try (Socket extra = open(s)) {
                    long t0 = System.nanoTime();
                    assertEquals("", readToClose(extra));
                    assertTrue((System.nanoTime() - t0) / 1e9 < 2, "an extra connection must be closed at once");
                }
            }
            for (Socket so : kept) assertTrue(roundTrip(so).startsWith("HTTP/1.1 200 OK\r\n"), "the first three still work");
            kept.remove(0).close(); // a slot frees up
            String metrics = "";
            int refusedScrapes = 0;
            // A raw socket, not HttpClient: the JDK client silently retries a GET whose connection was closed,
            // and such a hidden retry is one more refused connection that this test could not count.
            for (int i = 0; i < 50 && metrics.isEmpty(); i++) {
                try (Socket scrape = open(s)) {
                    scrape.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    metrics = readToClose(scrape);
                } catch (IOException e) {
                    metrics = ""; // reset while writing: refused as well
                }
                if (metrics.isEmpty()) {
                    refusedScrapes++; // the server had not seen the close yet: this connection was over the cap too
                    Thread.sleep(100);
                }
            }
            assertTrue(metrics.contains("\nresdet_http_connections_refused_total " + (2 + refusedScrapes) + "\n"), metrics);
            assertTrue(metrics.contains("\nresdet_http_connections 3\n"), metrics);
            for (Socket so : kept) so.close();
        }
    }

    static String roundTrip(Socket so) throws IOException {
        so.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[4096];
        int n = so.getInputStream().read(buf);
        return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void detectionsBeyondTheBoundAreToldToRetry() throws Exception {
        try (TestHttpServer s = new TestHttpServer(detector, new JsonObject().put("http-max-concurrent-detects", 1))) {
            byte[] big = HttpPixelLimitTest.blackPng(4096, 4096); // allowed, but seconds to decode
            byte[] small = new SyntheticSource(80, 60, 1, 3).next().bytes();
            CompletableFuture<HttpResponse<String>> first = s.sendAsync(s.request("/v1/detect")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(big)));
            Thread.sleep(200); // the big one takes the only slot first
            HttpResponse<String> busy = null;
            while (!first.isDone() && busy == null) {
                var r = s.post("/v1/detect", "image/jpeg", small);
                if (r.statusCode() == 503) busy = r;
            }
            assertTrue(busy != null, "no 503 while a detection was running");
            assertEquals("1", busy.headers().firstValue("retry-after").orElse(""));
            assertEquals("busy: 1 detections running (http-max-concurrent-detects); retry", new JsonObject(busy.body()).getString("error"));
            assertEquals(200, first.get(60, TimeUnit.SECONDS).statusCode());
            assertEquals(200, s.post("/v1/detect", "image/jpeg", small).statusCode(), "the slot is free again");
        }
    }

    static void awaitMetric(TestHttpServer s, String line) throws Exception {
        String m = "";
        for (int i = 0; i < 50; i++) {
            m = s.get("/metrics").body();
            if (m.contains("\n" + line)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + line.strip() + "' in\n" + m);
    }
}
