package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live dashboard in a real browser: the service runs against a real broker, headless Chromium opens the page, the
 * frames are produced only after the page is connected, and the test checks what a person would see: the stream's card
 * with the frame the page last received over SSE, its boxes in the page's colours at the detections' places, and the
 * detection list, all matching that frame's result on the results topic. A static page cannot pass: the card, the
 * frame and the boxes exist only once events arrived.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
    /** The dashboard's palette (dashboard.html), indexed by label modulo its size. */
    static final int[][] PALETTE = {{0xff, 0x50, 0x50}, {0x50, 0xdc, 0x78}, {0x5a, 0x8c, 0xff}, {0xff, 0xd2, 0x4a},
            {0xe0, 0x70, 0xff}, {0x4a, 0xe0, 0xe0}};
    static final Duration LONG = Duration.ofSeconds(90); // generous: two shared cores, a browser, a broker and a model
    static final Path OUT = Path.of("target", "dashboard-test");

    static TestBroker kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
        kafka.createTopics(1, Topics.FRAMES, Topics.RESULTS, Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    /** Off loopback with a token: one visit to /?token= and the page and its event stream get in by the cookie. */
    @Test
    void withATokenTheBrowserGetsInOnceByTheQueryThenByTheCookie() throws Exception {
        String token = "browser-token-8c2f";
        JsonObject cfg = TestSetup.serviceConfig(kafka.bootstrap()).put("http-host", "0.0.0.0").put("http-token", token);
        try (StreamService svc = StreamService.start(cfg);
             HeadlessChromium browser = HeadlessChromium.start(Path.of("target"), 820, 720, LONG)) {
            String base = "http://127.0.0.1:" + svc.httpPort() + "/";
            browser.navigate(base + "?token=" + token, LONG);
            browser.waitFor("document.getElementById('status') !== null && document.getElementById('status').textContent === 'live'",
                    LONG, "its event stream open");
            assertEquals(base, browser.eval("location.href", LONG).asText(), "the token is gone from the address bar");
        }
    }

    @Test
    void liveFramesWithBoxesAndDetectionListReachTheBrowser() throws Exception {
        int frames = 8, w = 320, h = 240;
        String stream = "lobby-cam";
        JsonObject cfg = TestSetup.serviceConfig(kafka.bootstrap());
        // The bundled trained model: real boxes on the synthetic shapes, so there is always something to draw.
        cfg.put("model", new JsonObject().put("score-threshold", 0.5));
        Files.createDirectories(OUT);
        try (StreamService svc = StreamService.start(cfg);
             HeadlessChromium browser = HeadlessChromium.start(Path.of("target"), 820, 720, LONG);
             FrameProducer producer = new FrameProducer(kafka.bootstrap(), Topics.FRAMES, Map.of())) {
            browser.navigate("http://127.0.0.1:" + svc.httpPort() + "/", LONG);
            // Frames go out only once the page's event stream is open, so the page must receive them live.
            browser.waitFor("document.getElementById('status').textContent === 'live'", LONG, "its event stream open");
            assertEquals(0, browser.eval("document.querySelectorAll('.stream').length", LONG).asInt(), "no card before any frame");

            producer.run(stream, new SyntheticSource(w, h, frames, 7), 4, null);
            Map<Long, JsonNode> results = new HashMap<>();
            try (ResultReader r = new ResultReader(kafka.bootstrap(), Topics.RESULTS, true, Map.of())) {
                r.read(frames, LONG, rec -> {
                    JsonNode j = ResultReader.json(rec);
                    results.put(j.get("frame").asLong(), j);
                });
            }
            assertEquals(frames, results.size(), "every frame has a result");

            // The page settles on the last frame it was sent, drawn (canvas) and listed (DOM).
            browser.waitFor("(() => { const c = document.querySelector('.stream'); return c && c.dataset.drawn !== undefined"
                    + " && c.dataset.drawn === c.dataset.frame; })()", LONG, "a drawn frame");
            String last = null;
            for (int stable = 0; stable < 5; ) {
                String now = browser.eval("document.body.dataset.frames + '/' + document.querySelector('.stream').dataset.drawn", LONG).asText();
                stable = now.equals(last) ? stable + 1 : 0;
                last = now;
                Thread.sleep(300);
            }
            JsonNode page = browser.eval("""
                    (() => { const c = document.querySelector('.stream'), r = c.querySelector('canvas').getBoundingClientRect();
                      return {frame: +c.dataset.drawn, left: r.left, top: r.top, cssWidth: r.width, cssHeight: r.height,
                              width: c.querySelector('canvas').width, height: c.querySelector('canvas').height,
                              received: +document.body.dataset.frames}; })()""", LONG);
            byte[] png = browser.screenshot(LONG);
            String dom = browser.eval("document.documentElement.outerHTML", LONG).asText();
            Files.write(OUT.resolve("dashboard.png"), png);
            Files.writeString(OUT.resolve("dashboard.html"), dom);

            long shown = page.get("frame").asLong();
            JsonNode result = results.get(shown);
            assertNotNull(result, "the page shows frame " + shown + ", which has a result");
            assertTrue(page.get("received").asInt() >= 1, page.toString());
            assertEquals(w, page.get("width").asInt(), "canvas holds the frame at its size");
            assertEquals(h, page.get("height").asInt());
            JsonNode dets = result.get("detections");
            System.out.println("dashboard test: page shows frame " + shown + " with " + dets.size() + " detections; received "
                    + page.get("received") + " events");

            // DOM: the stream's card, its frame number and detection count, and the list of detections in order.
            assertTrue(dom.contains("<h2>" + stream + "</h2>"), dom);
            assertTrue(dom.contains("frame " + shown + " · " + dets.size() + " detections · "), dom);
            List<String> items = new ArrayList<>();
            Matcher m = Pattern.compile("<li>([^<]*)</li>").matcher(dom);
            while (m.find()) items.add(m.group(1));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < Math.min(20, dets.size()); i++) {
                JsonNode d = dets.get(i), b = d.get("box");
                expected.add(String.format(Locale.ROOT, "%-10s %.3f  [%d, %d, %d, %d]", d.get("name").asText(), d.get("score").asDouble(),
                        Math.round(b.get(0).asDouble()), Math.round(b.get(1).asDouble()), Math.round(b.get(2).asDouble()),
                        Math.round(b.get(3).asDouble())));
            }
            assertEquals(expected, items, "the page lists the frame's detections");
            assertTrue(dets.size() > 0, "the test model gives boxes to draw");

            // Pixels: the frame itself where no box or label covers it, and each box's stroke in its label's colour.
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            RgbImage frame = frameImage(stream, shown);
            double scale = page.get("cssWidth").asDouble() / w;
            double left = page.get("left").asDouble(), top = page.get("top").asDouble();
            int framePoints = 0, frameMatches = 0;
            for (int gy = 0; gy < 18; gy++) {
                for (int gx = 0; gx < 24; gx++) {
                    int fx = 6 + gx * (w - 12) / 23, fy = 6 + gy * (h - 12) / 17;
                    if (nearAnyBoxOrLabel(dets, fx, fy, w)) continue;
                    framePoints++;
                    int[] s = rgb(shot, (int) (left + (fx + 0.5) * scale), (int) (top + (fy + 0.5) * scale));
                    if (closestInFrame(frame, fx, fy, s) < 40) frameMatches++;
                }
            }
            System.out.println("dashboard test: " + frameMatches + " of " + framePoints + " frame points free of boxes match the frame");
            assertTrue(framePoints >= 30, "enough of the frame is free of boxes to compare: " + framePoints);
            assertTrue(frameMatches >= 0.9 * framePoints, "the canvas shows the frame: " + frameMatches + " of " + framePoints + " points match");

            int edgeChecks = 0;
            for (int i = dets.size() - 1; i >= 0 && edgeChecks < 3; i--) {
                JsonNode d = dets.get(i), b = d.get("box");
                int[] col = PALETTE[d.get("label").asInt() % PALETTE.length];
                double x1 = b.get(0).asDouble(), y1 = b.get(1).asDouble(), x2 = b.get(2).asDouble(), y2 = b.get(3).asDouble();
                if (x2 - x1 < 12 || y2 - y1 < 12) continue;
                // A box drawn later over much the same place (another class for the same shape) paints over its edges.
                boolean covered = false;
                for (int j = i + 1; j < dets.size(); j++) {
                    JsonNode o = dets.get(j).get("box");
                    double iw = Math.min(x2, o.get(2).asDouble()) - Math.max(x1, o.get(0).asDouble());
                    double ih = Math.min(y2, o.get(3).asDouble()) - Math.max(y1, o.get(1).asDouble());
                    double inter = Math.max(0, iw) * Math.max(0, ih);
                    double union = (x2 - x1) * (y2 - y1) + (o.get(2).asDouble() - o.get(0).asDouble()) * (o.get(3).asDouble() - o.get(1).asDouble()) - inter;
                    covered |= inter / union > 0.3;
                }
                if (covered) continue;
                int samples = 0, drawn = 0;
                for (int k = 1; k <= 9; k++) {
                    double t = 0.1 * k;
                    double[][] pts = {{x1, y1 + t * (y2 - y1)}, {x2, y1 + t * (y2 - y1)}, {x1 + t * (x2 - x1), y2}};
                    for (double[] p : pts) {
                        // A box edge on the frame's border is stroked half outside the canvas.
                        if (p[0] < 2 || p[1] < 2 || p[0] > frame.width() - 3 || p[1] > frame.height() - 3) continue;
                        // Only where the frame itself is not already that colour: the stroke must be what makes it so.
                        if (closestInFrame(frame, (int) p[0], (int) p[1], col) < 60) continue;
                        samples++;
                        if (nearestTo(shot, left + p[0] * scale, top + p[1] * scale, col) < 60) drawn++;
                    }
                }
                if (samples < 10) continue;
                // Boxes drawn later (and their labels) may cross an edge here and there.
                System.out.println("dashboard test: box " + i + " stroked in " + hex(col) + " at " + drawn + " of " + samples + " edge points");
                assertTrue(drawn >= 0.7 * samples, "box " + d + " is stroked in " + hex(col) + ": " + drawn + " of " + samples + " edge points");
                edgeChecks++;
            }
            assertTrue(edgeChecks >= 1, "at least one box large enough to check its stroke: " + dets);
        }
    }

    /** The frame as the broker holds it (what the page was sent), decoded. */
    static RgbImage frameImage(String stream, long frame) throws Exception {
        RgbImage[] found = new RgbImage[1];
        try (ResultReader r = new ResultReader(kafka.bootstrap(), Topics.FRAMES, true, Map.of())) {
            r.read(0, Duration.ofSeconds(30), rec -> {
                if (stream.equals(rec.key()) && Long.toString(frame).equals(ResultReader.header(rec, Topics.H_FRAME))) {
                    try {
                        found[0] = Images.decode(rec.value(), stream + "#" + frame);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    r.stop();
                }
            });
        }
        assertNotNull(found[0], "frame " + frame + " on the frames topic");
        return found[0];
    }

    /** Within 4 px of a box edge, or where its label text may be (drawn above the box's top-left corner). */
    static boolean nearAnyBoxOrLabel(JsonNode dets, int x, int y, int w) {
        double font = Math.max(10, w / 30.0);
        for (JsonNode d : dets) {
            JsonNode b = d.get("box");
            double x1 = b.get(0).asDouble(), y1 = b.get(1).asDouble(), x2 = b.get(2).asDouble(), y2 = b.get(3).asDouble();
            boolean inX = x >= x1 - 4 && x <= x2 + 4, inY = y >= y1 - 4 && y <= y2 + 4;
            if (inY && (Math.abs(x - x1) <= 4 || Math.abs(x - x2) <= 4)) return true;
            if (inX && (Math.abs(y - y1) <= 4 || Math.abs(y - y2) <= 4)) return true;
            double ty = Math.max(10, y1 - 2);
            if (x >= x1 - 2 && x <= x1 + 2 + font * 9 && y >= ty - font - 3 && y <= ty + 4) return true;
        }
        return false;
    }

    static int[] rgb(BufferedImage img, int x, int y) {
        int v = img.getRGB(Math.max(0, Math.min(img.getWidth() - 1, x)), Math.max(0, Math.min(img.getHeight() - 1, y)));
        return new int[] {(v >> 16) & 255, (v >> 8) & 255, v & 255};
    }

    static double dist(int[] a, int[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    /** Distance from {@code c} to the closest frame pixel within 1 px of (x, y): scaling blurs edges by about that. */
    static double closestInFrame(RgbImage f, int x, int y, int[] c) {
        double best = Double.MAX_VALUE;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int px = Math.max(0, Math.min(f.width() - 1, x + dx)), py = Math.max(0, Math.min(f.height() - 1, y + dy));
                int i = (py * f.width() + px) * 3;
                byte[] rgb = f.rgb();
                best = Math.min(best, dist(c, new int[] {rgb[i] & 255, rgb[i + 1] & 255, rgb[i + 2] & 255}));
            }
        }
        return best;
    }

    /** Distance from {@code c} to the closest screenshot pixel within 2 px of (x, y) (strokes are about 2 px wide). */
    static double nearestTo(BufferedImage img, double x, double y, int[] c) {
        double best = Double.MAX_VALUE;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) best = Math.min(best, dist(c, rgb(img, (int) Math.round(x) + dx, (int) Math.round(y) + dy)));
        }
        return best;
    }

    static String hex(int[] c) {
        return String.format("#%02x%02x%02x", c[0], c[1], c[2]);
    }
}
