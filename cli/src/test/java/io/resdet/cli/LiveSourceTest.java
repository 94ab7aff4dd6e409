package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.resdet.streamservice.EmbeddedBroker;
import io.resdet.streamservice.Models;
import io.resdet.streamservice.SyntheticSource;
import io.resdet.video.LiveReader;
import io.resdet.video.VideoReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live sources against real servers on 127.0.0.1: GStreamer's RTSP server (Debian's python3-gi +
 * gir1.2-gst-rtsp-server-1.0, installed by bin/test) serving an H.264 clip of resdet's synthetic shapes, and an MJPEG
 * (multipart/x-mixed-replace) server in this JVM. Detection uses the bundled model at a small size.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LiveSourceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> DETECT = List.of("detect", "--min-size", "120", "--max-size", "160");
    static final int W = 320, H = 240, FPS = 10, SECONDS = 30;

    static Path dir, clip, script;
    static EmbeddedBroker broker;
    final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void clip() throws Exception {
        dir = Files.createTempDirectory("resdet-live-");
        // The bundled model's own world: synthetic shapes, encoded as H.264 (what cameras send) by Debian's ffmpeg.
        Path frames = Files.createDirectories(dir.resolve("frames"));
        SyntheticSource shapes = new SyntheticSource(W, H, FPS * SECONDS, 11);
        for (int i = 0; i < FPS * SECONDS; i++) Files.write(frames.resolve(String.format("%04d.jpg", i)), shapes.next().bytes());
        clip = dir.resolve("clip.mp4");
        run(List.of("ffmpeg", "-loglevel", "error", "-y", "-framerate", "" + FPS, "-i", frames.resolve("%04d.jpg").toString(),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "" + FPS, clip.toString()));
        script = dir.resolve("rtsp_server.py");
        try (var in = LiveSourceTest.class.getResourceAsStream("/live/rtsp_server.py")) {
            Files.copy(in, script);
        }
    }

    static synchronized String broker() {
        if (broker == null) broker = EmbeddedBroker.start(dir.resolve("kafka"), 0);
        return broker.bootstrap();
    }

    @AfterAll
    static void down() {
        if (broker != null) broker.close();
        DemoCommand.deleteTree(dir);
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** GStreamer's RTSP server on 127.0.0.1:{@code port} (0: a free one); returns the port it listens on. */
    int rtsp(int port) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), clip.toString(), Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        servers.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("listening "), "RTSP server did not start: " + line);
        return Integer.parseInt(line.substring("listening ".length()).strip());
    }

    static String url(int port) {
        return "rtsp://127.0.0.1:" + port + "/live";
    }

    static CliRun detect(String... args) {
        List<String> a = new ArrayList<>(DETECT);
        a.addAll(List.of(args));
        return CliRun.of(a.toArray(String[]::new));
    }

    static List<JsonNode> lines(String out) throws IOException {
        List<JsonNode> r = new ArrayList<>();
        for (String l : out.strip().split("\n")) if (!l.isBlank()) r.add(JSON.readTree(l));
        return r;
    }

    /** Frame indexes strictly increasing, pts_ms present, ≥ 0 and never decreasing. */
    static void assertTimeline(List<JsonNode> got) {
        long prevFrame = -1, prevPts = -1;
        for (JsonNode j : got) {
            assertTrue(j.get("frame").asLong() > prevFrame, "frame indexes only grow: " + j);
            assertTrue(j.get("pts_ms").isIntegralNumber() && j.get("pts_ms").asLong() >= Math.max(0, prevPts), "pts_ms never decreases: " + j);
            prevFrame = j.get("frame").asLong();
            prevPts = j.get("pts_ms").asLong();
        }
    }

    /** Frames with a shape found at score ≥ 0.5: the pixels arrived intact and the right way round. */
    static long withShapes(List<JsonNode> got) {
        return got.stream().filter(j -> j.get("detections").size() > 0 && j.get("detections").get(0).get("score").asDouble() >= 0.5).count();
    }

    @Test
    void rtspMaxFramesTimestampsAndSegments(@TempDir Path out) throws Exception {
        int port = rtsp(0);
        var probe = run(List.of("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", url(port)));
        assertEquals("h264,320,240", probe.strip());

        CliRun r = detect("--max-frames", "20", "--out", out.toString(), "--segment", "1", url(port));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> got = lines(r.out());
        assertEquals(20, got.size(), r.out());
        assertTimeline(got);
        for (int i = 0; i < 20; i++) {
            JsonNode j = got.get(i);
            assertEquals(url(port), j.get("image").asText());
            assertEquals(i, j.get("frame").asInt(), "a fresh stream: every frame, from 0");
            // The clip's own 10 fps timestamps, not the arrival times.
            assertEquals(i * 100L, j.get("pts_ms").asLong(), 1.0, j.toString());
            assertEquals(W, j.get("width").asInt());
            assertEquals(H, j.get("height").asInt());
        }
        assertTrue(withShapes(got) >= 15, withShapes(got) + " of 20 frames with a shape: " + r.out());
        assertTrue(r.lastErrLine().endsWith(url(port) + ": 20 frames detected, 20 read, 0 reconnects, 2 segments in " + out + " (--max-frames reached)"),
                r.err());
        // --segment 1: a new file every second of stream time, each complete and playable.
        String stem = "127.0.0.1_" + port + "_live";
        assertEquals(List.of(stem + "-000.mp4", stem + "-001.mp4"), Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
        int frames = 0;
        for (String f : List.of("-000.mp4", "-001.mp4")) {
            try (VideoReader v = VideoReader.open(out.resolve(stem + f))) {
                assertEquals(W, v.width());
                while (v.next() != null) frames++;
            }
        }
        assertEquals(20, frames);

        // --every and --fps thin the stream; indexes stay the stream's own.
        CliRun every = detect("--every", "3", "--max-frames", "4", url(port));
        assertEquals(0, every.code(), every.err());
        assertEquals(List.of(0, 3, 6, 9), lines(every.out()).stream().map(j -> j.get("frame").asInt()).toList());
        CliRun fps = detect("--fps", "2.5", "--max-frames", "4", url(port));
        assertEquals(0, fps.code(), fps.err());
        assertEquals(List.of(0L, 400L, 800L, 1200L), lines(fps.out()).stream().map(j -> j.get("pts_ms").asLong()).toList());
        assertEquals(List.of(0, 4, 8, 12), lines(fps.out()).stream().map(j -> j.get("frame").asInt()).toList());
    }

    @Test
    void rtspTrackedWithZones(@TempDir Path out) throws Exception {
        int port = rtsp(0);
        Path zones = Files.writeString(out.resolve("zones.json"), "{\"streams\": {\"*\": {\"normalized\": true,"
                + " \"zones\": [{\"name\": \"left\", \"polygon\": [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]}],"
                + " \"lines\": [{\"name\": \"middle\", \"from\": [0.5, 0], \"to\": [0.5, 1]}]}}}");
        CliRun r = detect("--track", "--zones", zones.toString(), "--max-frames", "20", url(port));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> got = lines(r.out());
        assertEquals(20, got.size(), r.out());
        java.util.Map<Integer, Integer> framesPerId = new java.util.TreeMap<>();
        for (JsonNode j : got) {
            assertTrue(j.has("zones") && j.get("zones").has("left"), j.toString());
            for (JsonNode d : j.get("detections")) {
                assertTrue(d.has("track_id"), d.toString());
                if (!d.get("track_id").isNull()) framesPerId.merge(d.get("track_id").asInt(), 1, Integer::sum);
            }
        }
        // The clip's shapes drift slowly: a live source is tracked frame to frame like a file, ids persist.
        assertTrue(framesPerId.values().stream().filter(n -> n >= 15).count() >= 2, "ids and their frames: " + framesPerId);
        assertTrue(r.err().contains(": line middle: in "), r.err());
        assertTrue(detect("--track", "--mot-results", out.resolve("m.txt").toString(), url(port)).lastErrLine()
                .endsWith("--mot-results: MOT files are written for video files, not live sources"));
    }

    @Test
    void rtspServerRestartIsReconnected() throws Exception {
        int port = rtsp(0);
        // --every 5: detection keeps up with the 10 fps stream, so the kill is met at once rather than after the frames
        // already buffered in the socket (a slower detector reads those first: the stream is read, never skipped).
        Background run = Background.start(concat(DETECT, "--every", "5", "--max-frames", "30", "--reconnect-timeout", "30", url(port)));
        try {
            restart(run, port);
        } finally {
            run.restore();
        }
    }

    private void restart(Background run, int port) throws Exception {
        waitFor(() -> run.out().lines().count() >= 5, 120, "5 frames before the outage: " + run.err());
        long killed = System.nanoTime();
        servers.get(0).destroy();
        servers.get(0).waitFor(10, TimeUnit.SECONDS);
        waitFor(() -> run.err().contains("stream lost"), 60, "the loss noticed: " + run.out().lines().count() + " lines; " + run.err());
        long noticed = System.nanoTime();
        // Let a few attempts fail against the closed port before the server comes back on it.
        waitFor(() -> run.err().contains("(attempt 2)"), 30, "a second attempt: " + run.err());
        long linesBefore = run.out().lines().count();
        rtsp(port);
        long restarted = System.nanoTime();
        waitFor(() -> run.out().lines().count() > linesBefore, 60, "frames after the restart: " + run.err());
        long resumed = System.nanoTime();
        assertEquals(0, run.await(120), run.err());
        System.out.printf("RTSP restart: loss noticed %.1f s after the kill, first frame %.1f s after"
                + " the restart; stderr:%n%s%n", (noticed - killed) / 1e9, (resumed - restarted) / 1e9, run.err());

        List<JsonNode> got = lines(run.out());
        assertEquals(30, got.size(), run.out());
        assertTimeline(got);
        for (int i = 0; i < got.size(); i++) assertEquals(5 * i, got.get(i).get("frame").asInt(), "one count across the reconnect, never back to 0");
        // One outage on the timeline: a gap of at least the seconds the server was away, 500 ms steps otherwise.
        long gaps = 0;
        for (int i = 1; i < got.size(); i++) if (got.get(i).get("pts_ms").asLong() - got.get(i - 1).get("pts_ms").asLong() > 1500) gaps++;
        assertEquals(1, gaps, run.out());
        List<String> err = run.err().lines().filter(l -> !l.startsWith("[W")).toList();
        assertTrue(err.get(0).matches("resdet detect: rtsp://127\\.0\\.0\\.1:" + port + "/live: stream lost \\(.+\\); reconnecting in 0\\.5 s \\(attempt 1\\)"), err.get(0));
        assertTrue(err.stream().anyMatch(l -> l.matches(".*: stream lost \\(.+\\); reconnecting in 1 s \\(attempt 2\\)")), run.err());
        assertTrue(err.get(err.size() - 1).endsWith(": 30 frames detected, 146 read, 1 reconnect (--max-frames reached)"), run.err());
    }

    /**
     * The end-to-end line: {@code detect --model NAME rtsp://...} once the named file is in the cache. The name
     * is a registry entry (RESDET_MODEL_REGISTRY) whose cached file is the bundled model, so no download happens and
     * the result must equal the run without --model.
     */
    @Test
    void namedModelOnAnRtspStream(@TempDir Path home) throws Exception {
        byte[] weights;
        try (var in = getClass().getClassLoader().getResourceAsStream("io/resdet/detector/models/shapes-resnet18-fpn.safetensors")) {
            weights = in.readAllBytes();
        }
        Files.write(Files.createDirectories(home.resolve("models")).resolve("shapes-00000000.safetensors"), weights);
        Path registry = Files.writeString(home.resolve("registry.json"), "[{\"name\":\"site.shapes_v1\",\"task\":\"detection\","
                + "\"arch\":\"fasterrcnn_resnet18_fpn\",\"url\":\"http://127.0.0.1:9/models/shapes-00000000.safetensors\","
                + "\"numClasses\":4,\"labels\":\"background,circle,rectangle,triangle\"}]");
        System.setProperty("RESDET_HOME", home.toString());
        System.setProperty("RESDET_MODEL_REGISTRY", registry.toString());
        try {
            int port = rtsp(0);
            CliRun named = CliRun.of("detect", "--model", "site.shapes_v1", "--max-frames", "10", url(port));
            assertEquals(0, named.code(), named.err());
            List<JsonNode> got = lines(named.out());
            assertEquals(10, got.size());
            assertTimeline(got);
            CliRun bundled = CliRun.of("detect", "--max-frames", "10", url(port));
            assertEquals(bundled.out(), named.out(), "the named (cached) model is the bundled one");
        } finally {
            System.clearProperty("RESDET_HOME");
            System.clearProperty("RESDET_MODEL_REGISTRY");
        }
    }

    @Test
    void mjpegOverHttp() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/mjpeg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            ex.sendResponseHeaders(200, 0);
            SyntheticSource shapes = new SyntheticSource(W, H, -1, 3);
            try (OutputStream os = ex.getResponseBody()) {
                while (true) {
                    byte[] jpeg = shapes.next().bytes();
                    os.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    os.write(jpeg);
                    os.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    os.flush();
                    Thread.sleep(1000 / FPS);
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        });
        http.start();
        try {
            String u = "http://127.0.0.1:" + http.getAddress().getPort() + "/mjpeg";
            CliRun r = detect("--max-frames", "8", u);
            assertEquals(0, r.code(), r.err());
            List<JsonNode> got = lines(r.out());
            assertEquals(8, got.size(), r.out());
            assertTimeline(got);
            assertEquals(W, got.get(0).get("width").asInt());
            assertEquals(H, got.get(0).get("height").asInt());
            assertTrue(withShapes(got) >= 6, withShapes(got) + " of 8 frames with a shape: " + r.out());
            // MJPEG carries no timestamps: arrival times (the first few come at once, read ahead while FFmpeg probes).
            long span = got.get(7).get("pts_ms").asLong() - got.get(0).get("pts_ms").asLong();
            assertTrue(span > 0 && span <= 5000, "8 frames at 10 fps span " + span + " ms: " + r.out());
        } finally {
            http.stop(0);
        }
    }

    @Test
    void produceRtspServeConsume(@TempDir Path out) throws Exception {
        int port = rtsp(0);
        Path weights = Models.writeTinyWeights(dir.resolve("tiny.safetensors"));
        String b = broker();
        var p = CliRun.of("produce", "--bootstrap", b, "--topic", "live-frames", "--stream", "door", "--max-frames", "8", url(port));
        assertEquals(0, p.code(), p.err());
        assertTrue(p.err().contains("sent 8 frames of stream door to live-frames"), p.err());
        var s = CliRun.of("serve", "--bootstrap", b, "--frames-topic", "live-frames", "--results-topic", "live-results",
                "--dlq-topic", "live-dlq", "--group", "live", "--arch", "fasterrcnn_resnet18_fpn",
                "--weights", weights.toString(), "--num-classes", "4", "--labels", "background,red,green,blue",
                "--min-size", "64", "--max-size", "80", "--representation-size", "128", "--rpn-proposals", "20",
                "--http-port", "0", "--stop-after", "8", "--duration", "150");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.err().contains("8 frames in, 8 results (0 skipped), 0 dead letters"), s.err());
        var c = CliRun.of("consume", "--bootstrap", b, "--topic", "live-results", "--count", "8", "--timeout", "60");
        assertEquals(0, c.code(), c.err());
        List<JsonNode> got = lines(c.out());
        assertEquals(8, got.size(), c.out());
        for (int i = 0; i < 8; i++) {
            assertEquals("door", got.get(i).get("stream").asText());
            assertEquals(i, got.get(i).get("frame").asInt());
            assertEquals(W, got.get(i).get("width").asInt());
            assertEquals(H, got.get(i).get("height").asInt());
        }
    }

    @Test
    void nobodyServingIsOneLineAndExit1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String b = broker();
        long t0 = System.nanoTime();
        var p = CliRun.of("produce", "--bootstrap", b, "--reconnect-timeout", "3", url(port));
        double took = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, p.code(), p.err());
        assertTrue(p.lastErrLine().matches("resdet produce: rtsp://127\\.0\\.0\\.1:" + port
                + "/live: no frames for 3 s, giving up \\(\\d+ reconnect attempts; last error: Connection refused\\)"), p.err());
        List<String> said = p.err().strip().lines().filter(l -> l.startsWith("resdet produce: ")).toList();
        for (String l : said.subList(0, said.size() - 1)) {
            assertTrue(l.matches("resdet produce: rtsp://\\S+: cannot connect \\(Connection refused\\); retrying in [\\d.]+ s \\(attempt \\d+\\)"), l);
        }
        assertTrue(took >= 3 && took < 8, "gave up after " + took + " s: " + p.err());
        System.out.printf("nobody serving: produce gave up after %.1f s (reconnect timeout 3 s)%n", took);

        var d = detect("--reconnect-timeout", "2", url(port));
        assertEquals(1, d.code(), d.err());
        assertTrue(d.lastErrLine().startsWith("resdet detect: " + url(port) + ": no frames for 2 s, giving up ("), d.err());

        // A server that accepts and never answers: the socket timeout ends each attempt, nothing blocks for ever.
        try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread accept = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (IOException e) {
                    // closed
                }
            });
            accept.start();
            LiveReader.Settings settings = LiveReader.Settings.defaults(l -> {}).withReconnectTimeout(Duration.ofSeconds(2));
            long t1 = System.nanoTime();
            try (LiveReader r = LiveReader.open(url(silent.getLocalPort()), settings)) {
                IOException e = assertThrows(IOException.class, r::next);
                assertTrue(e.getMessage().startsWith(url(silent.getLocalPort()) + ": no frames for 2 s, giving up ("), e.getMessage());
            }
            double silentTook = (System.nanoTime() - t1) / 1e9;
            System.out.printf("silent server: gave up after %.1f s (reconnect timeout 2 s, socket timeout %s)%n", silentTook, settings.ioTimeout());
            assertTrue(silentTook < 2 + 2 + 1.5, "gave up after " + silentTook + " s");
            silent.close();
            for (Socket s : held) s.close();
        }
    }

    @Test
    void ctrlCStopsCleanlyWithExit0(@TempDir Path out) throws Exception {
        int port = rtsp(0);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(concat(DETECT, "--out", out.toString(), url(port)));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("ctrlc.err").toFile()).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String l; lines.size() < 5 && (l = stdout.readLine()) != null; ) lines.add(l);
        assertEquals(5, lines.size(), Files.readString(dir.resolve("ctrlc.err")));
        run(List.of("kill", "-INT", Long.toString(p.pid())));
        for (String l; (l = stdout.readLine()) != null; ) lines.add(l);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s after Ctrl-C");
        String err = Files.readString(dir.resolve("ctrlc.err"));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("resdet detect: stopping (SIGINT); finishing the current frame"), err);
        assertTrue(err.strip().endsWith("(stopped)"), err);
        List<JsonNode> got = new ArrayList<>();
        for (String l : lines) got.add(JSON.readTree(l));
        assertTimeline(got);
        // The open segment was finished properly: playable, with every processed frame in it.
        Path seg = out.resolve("127.0.0.1_" + port + "_live-000.mp4");
        int frames = 0;
        try (VideoReader v = VideoReader.open(seg)) {
            while (v.next() != null) frames++;
        }
        assertEquals(got.size(), frames, err);
    }

    // --- helpers ---

    static List<String> concat(List<String> head, String... tail) {
        List<String> a = new ArrayList<>(head);
        a.addAll(List.of(tail));
        return a;
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd + " did not finish");
        assertEquals(0, p.exitValue(), cmd + ": " + out);
        return out;
    }

    static void waitFor(BooleanSupplier done, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    /** {@link Main#execute} on a thread, its output readable while it runs. */
    static final class Background {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        private final PrintStream oldOut = System.out, oldErr = System.err;
        private Thread thread;
        private volatile int code = -1;

        static Background start(List<String> args) {
            Background b = new Background();
            System.setOut(new PrintStream(b.out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(b.err, true, StandardCharsets.UTF_8));
            b.thread = new Thread(() -> b.code = Main.execute(args.toArray(String[]::new)), "live-cli");
            b.thread.start();
            return b;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        void restore() {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }

        int await(int seconds) throws InterruptedException {
            thread.join(seconds * 1000L);
            restore();
            assertFalse(thread.isAlive(), "still running: " + err());
            return code;
        }
    }
}
