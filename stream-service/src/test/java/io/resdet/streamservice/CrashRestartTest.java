package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures mid-run: the service process is SIGKILLed and restarted; the broker is stopped and restarted under a
 * running service. Every frame must end with a result: at least one (default), exactly one for read_committed
 * readers with --exactly-once.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CrashRestartTest {
    static TestBroker kafka;
    static final int STREAMS = 2, FRAMES = 40;

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    /** Config with per-test topics and group, and timeouts short enough that a dead member is noticed quickly. */
    static JsonObject config(String tag, boolean exactlyOnce) throws Exception {
        kafka.createTopics(2, "frames-" + tag, "results-" + tag, "dlq-" + tag);
        return TestSetup.serviceConfig(kafka.bootstrap()).put("frames-topic", "frames-" + tag)
                .put("results-topic", "results-" + tag).put("dlq-topic", "dlq-" + tag).put("group", "g-" + tag)
                .put("exactly-once", exactlyOnce).put("instance-id", "replica-0").put("workers", 1)
                .put("kafka", new JsonObject().put("session.timeout.ms", "6000").put("heartbeat.interval.ms", "1000")
                        .put("transaction.timeout.ms", "15000"));
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in its own property. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static Process spawn(JsonObject cfg, Path dir) throws Exception {
        Path f = dir.resolve("service.json");
        Files.writeString(f, cfg.encodePrettily());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", classPath(), ServiceMain.class.getName(), f.toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder log = new StringBuilder();
        while ((line = r.readLine()) != null) {
            log.append(line).append('\n');
            if (line.startsWith("ready ")) break;
        }
        assertTrue(p.isAlive(), "service did not start:\n" + log);
        Thread drain = new Thread(() -> r.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    static void produce(String topic) throws Exception {
        try (FrameProducer p = new FrameProducer(kafka.bootstrap(), topic, Map.of())) {
            for (int s = 0; s < STREAMS; s++) {
                SyntheticSource src = new SyntheticSource(64, 48, FRAMES, s);
                for (int i = 0; i < FRAMES; i++) p.send("s" + s, i, System.currentTimeMillis(), src.next());
            }
            p.flush();
        }
    }

    /** Results per (stream, frame) as read by a read_committed reader. */
    static Map<String, Integer> results(String topic, long atLeast, Duration timeout) {
        Map<String, Integer> seen = new HashMap<>();
        try (ResultReader r = new ResultReader(kafka.bootstrap(), topic, true, Map.of())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                r.read(0, Duration.ofSeconds(2), rec -> {
                    JsonNode j = ResultReader.json(rec);
                    seen.merge(j.get("stream").asText() + "#" + j.get("frame").asLong(), 1, Integer::sum);
                });
                if (seen.size() >= atLeast) break;
            }
        }
        return seen;
    }

    static void killAndRestart(String tag, boolean exactlyOnce) throws Exception {
        Path dir = Files.createTempDirectory("resdet-crash-");
        JsonObject cfg = config(tag, exactlyOnce);
        produce("frames-" + tag);
        Process first = spawn(cfg, dir);
        Map<String, Integer> before = results("results-" + tag, 10, Duration.ofSeconds(120));
        assertTrue(before.size() >= 10, "some results before the crash: " + before.size());
        first.destroyForcibly(); // SIGKILL: no draining, no commits, maybe an open transaction
        first.waitFor(30, TimeUnit.SECONDS);
        Process second = spawn(cfg, dir);
        try {
            Map<String, Integer> after = results("results-" + tag, STREAMS * FRAMES, Duration.ofSeconds(240));
            List<String> missing = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) for (int i = 0; i < FRAMES; i++) if (!after.containsKey("s" + s + "#" + i)) missing.add("s" + s + "#" + i);
            assertEquals(List.of(), missing, "every frame has a result");
            if (exactlyOnce) {
                Thread.sleep(3000); // let any duplicate, were there one, arrive
                Map<String, Integer> settled = results("results-" + tag, STREAMS * FRAMES, Duration.ofSeconds(30));
                settled.forEach((k, n) -> assertEquals(1, n, k + ": exactly one committed result"));
            }
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigkillAndRestartLosesNothing() throws Exception {
        killAndRestart("alo", false);
    }

    @Test
    void sigkillAndRestartWithExactlyOnceDeliversEachResultOnce() throws Exception {
        killAndRestart("eos", true);
    }

    @Test
    void brokerRestartMidRunLosesNothing() throws Exception {
        JsonObject cfg = config("brk", false);
        try (StreamService svc = StreamService.start(cfg)) {
            produce("frames-brk");
            Map<String, Integer> before = results("results-brk", 10, Duration.ofSeconds(120));
            assertTrue(before.size() >= 10, "some results before the broker restart: " + before.size());
            kafka.stop();
            Thread.sleep(2000);
            kafka.restart();
            Map<String, Integer> after = results("results-brk", STREAMS * FRAMES, Duration.ofSeconds(240));
            assertEquals(STREAMS * FRAMES, after.size(), "every frame has a result");
            assertTrue(svc.pipeline().healthy(), "the service rode out the outage: " + svc.pipeline().failure());
        }
    }
}
