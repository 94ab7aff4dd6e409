package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.streamservice.EmbeddedBroker;
import io.resdet.streamservice.Models;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker-compose.yml for real, as a user runs it: Kafka with SASL/SCRAM users from the env file, resdet with its API
 * token, both from local images (deploy/compose.local.yml: bin/docker-local's Kafka, and resdet's image built here
 * from the jars {@code package} just made, the Dockerfile's {@code prebuilt} target on Debian's JRE). Frames are
 * produced from the host and results consumed on the host, through the published SASL listener; resdet is crashed
 * mid-stream and comes back by its restart policy, then killed with {@code docker kill} and brought back with
 * {@code up}; no frame is lost. {@code down -v} leaves nothing. Runs in Maven's docker profile (bin/test); all traffic
 * stays on the host's loopback and the network compose creates for the project.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String IMAGE = "resdet-local/resdet:latest";
    static final String PROJECT = "resdet-it-" + ProcessHandle.current().pid();
    static final String STREAM = "gate";
    static final int FRAMES = 60;
    static final ObjectMapper JSON = new ObjectMapper();
    /** The real stdout: CliRun swaps System.out while the producer runs, and the measurements belong in the log. */
    static final PrintStream OUT = System.out;

    static Path dir;
    static String token, resdetPassword;
    static int kafkaPort, httpPort;
    static boolean up;

    record Proc(int code, String out) {}

    @BeforeAll
    static void buildImageAndConfig() throws Exception {
        String runtime = System.getenv("RESDET_DOCKER_RUNTIME_IMAGE");
        assertTrue(runtime != null && !runtime.isBlank(), "RESDET_DOCKER_RUNTIME_IMAGE unset: run under bin/docker-local (bin/test does)");
        assertTrue(Files.isRegularFile(ROOT.resolve("cli/target/resdet-cli.jar")), "cli/target/resdet-cli.jar: `package` runs before this test");
        kafkaPort = EmbeddedBroker.freePort();
        httpPort = EmbeddedBroker.freePort();
        String before = run(60, "docker", "images", "-q", IMAGE).out.strip();
        long t0 = System.nanoTime();
        ok(600, "docker", "build", "-q", "--target", "prebuilt", "--build-arg", "RUNTIME_IMAGE=" + runtime, "-t", IMAGE, ".");
        String after = run(60, "docker", "images", "-q", IMAGE).out.strip();
        if (!before.isEmpty() && !before.equals(after)) run(60, "docker", "rmi", before); // the previous build's image
        OUT.printf("ComposeIT: built %s (prebuilt on %s) in %.1f s: %s%n", IMAGE, runtime, seconds(t0), size(IMAGE));

        dir = Files.createTempDirectory("resdet-compose-it-");
        Path models = Files.createDirectories(dir.resolve("models"));
        // The service runs as uid 10001: the mounted folder and file must be readable by others.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(models, PosixFilePermissions.fromString("rwxr-xr-x"));
        Models.writeTinyWeights(models.resolve("tiny.safetensors"));
        Files.setPosixFilePermissions(models.resolve("tiny.safetensors"), PosixFilePermissions.fromString("rw-r--r--"));
        token = secret();
        resdetPassword = secret();
        Files.writeString(dir.resolve("test.env"), "RESDET_HTTP_TOKEN=" + token + "\nKAFKA_ADMIN_PASSWORD=" + secret()
                + "\nKAFKA_RESDET_PASSWORD=" + resdetPassword + "\n");
        // The test's own settings: the small model of the tests (one intra-op thread: two shared cores here).
        var m = Models.TINY;
        Files.writeString(dir.resolve("test.yml"), String.join("\n",
                "version: \"3.8\"",
                "services:",
                "  resdet:",
                "    environment:",
                "      RESDET_MODEL_ARCH: " + m.getString("arch"),
                "      RESDET_MODEL_WEIGHTS: /models/tiny.safetensors",
                "      RESDET_MODEL_NUM_CLASSES: \"" + m.getInteger("num-classes") + "\"",
                "      RESDET_MODEL_LABELS: " + m.getString("labels"),
                "      RESDET_MODEL_MIN_SIZE: \"" + m.getInteger("min-size") + "\"",
                "      RESDET_MODEL_MAX_SIZE: \"" + m.getInteger("max-size") + "\"",
                "      RESDET_MODEL_REPRESENTATION_SIZE: \"" + m.getInteger("representation-size") + "\"",
                "      RESDET_MODEL_RPN_PROPOSALS: \"" + m.getInteger("rpn-proposals") + "\"",
                "      RESDET_THREADS: \"1\"",
                "    volumes:",
                "      - " + models + ":/models:ro",
                ""));
    }

    @AfterAll
    static void down() throws Exception {
        if (up) compose(300, "down", "-v", "--remove-orphans");
        if (dir != null) DemoCommand.deleteTree(dir);
    }

    @Test
    @Order(1)
    void imageRunsAsItsOwnUserWithAHealthCheckThatNeedsNoCurl() throws Exception {
        String cfg = ok(60, "docker", "image", "inspect", "-f", "{{.Config.User}} {{json .Config.Healthcheck.Test}}", IMAGE).strip();
        assertEquals("resdet [\"CMD\",\"/opt/resdet/bin/resdet-health\"]", cfg);
        Proc id = run(60, "docker", "run", "--rm", "--entrypoint", "id", IMAGE, "-u");
        assertEquals("10001", id.out.strip(), id.out);
        // What the old `curl -f` health check assumed: Debian's JRE image has no curl (eclipse-temurin's has).
        Proc curl = run(60, "docker", "run", "--rm", "--entrypoint", "bash", IMAGE, "-c", "command -v curl || echo none");
        assertEquals("none", curl.out.strip(), curl.out);
        // The health script against nothing: fails, with a reason.
        Proc health = run(60, "docker", "run", "--rm", "--entrypoint", "/opt/resdet/bin/resdet-health", IMAGE);
        assertEquals(1, health.code, health.out);
        assertEquals("nothing listens on 127.0.0.1:8080", health.out.strip());
    }

    @Test
    @Order(2)
    void upStreamCrashKillRestartNoFrameLostDown() throws Exception {
        long t0 = System.nanoTime();
        up = true;
        compose(600, "up", "-d", "--no-build");
        double upSeconds = seconds(t0);
        String resdet = ok(60, composeCmd("ps", "-q", "resdet")).strip();
        waitFor("resdet /health/ready = 200", 300, () -> http("/health/ready", null) == 200);
        double readySeconds = seconds(t0);
        waitFor("resdet's Docker health check: healthy", 120, () -> "healthy".equals(inspect(resdet, "{{.State.Health.Status}}")));
        OUT.printf("ComposeIT: `up -d` returned after %.1f s (Kafka healthy, resdet started); resdet ready after %.1f s,"
                + " Docker health healthy after %.1f s%n", upSeconds, readySeconds, seconds(t0));

        // The token guards everything but the probes, over the published port.
        assertEquals(401, http("/metrics", null));
        assertEquals(200, http("/metrics", token));
        assertEquals(401, http("/metrics", "not-the-token"));

        // Frames from the host through the host listener (SASL/SCRAM as user resdet); results read back on the host.
        CompletableFuture<CliRun> producer = CompletableFuture.supplyAsync(() -> CliRun.of(kafkaArgs("produce",
                "--stream", STREAM, "--frames", "" + FRAMES, "--fps", "3", "--size", "160x120", "synthetic")));
        Map<Integer, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, String> results = new KafkaConsumer<>(clientProperties())) {
            results.subscribe(List.of("resdet.detections"));
            collect(results, seen, 8, 180);
            // A crash, as the OOM killer or a JVM abort does it: the container's process dies of SIGKILL.
            long pid = Long.parseLong(inspect(resdet, "{{.State.Pid}}"));
            long tCrash = System.nanoTime();
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            waitFor("resdet restarted by its restart policy", 120, () -> "1 true".equals(inspect(resdet, "{{.RestartCount}} {{.State.Running}}")));
            waitFor("resdet ready after the crash", 300, () -> http("/health/ready", null) == 200);
            OUT.printf("ComposeIT: crashed (SIGKILL) with %d frames answered; restarted and ready again after %.1f s%n",
                    seen.size(), seconds(tCrash));

            int n = seen.size();
            collect(results, seen, n + 8, 180);
            // `docker kill` is a manual stop for Docker: the restart policy does not apply (Docker 20.10 cancels it).
            ok(60, "docker", "kill", resdet);
            Thread.sleep(5000);
            assertEquals("exited 1", inspect(resdet, "{{.State.Status}} {{.RestartCount}}"),
                    "after `docker kill` the container stays down and the restart count stays at 1");
            long tUp = System.nanoTime();
            compose(300, "up", "-d", "--no-build");
            waitFor("resdet ready after `docker kill` + `up -d`", 300, () -> http("/health/ready", null) == 200);
            OUT.printf("ComposeIT: `docker kill` with %d frames answered; `up -d` had it ready again after %.1f s%n",
                    seen.size(), seconds(tUp));

            CliRun p = producer.get(300, TimeUnit.SECONDS);
            assertEquals(0, p.code(), p.err());
            assertTrue(p.err().contains("sent " + FRAMES + " frames of stream " + STREAM), p.err());
            collect(results, seen, FRAMES, 300);
        }
        Set<Integer> expected = new TreeSet<>();
        for (int i = 0; i < FRAMES; i++) expected.add(i);
        assertEquals(expected, new TreeSet<>(seen.keySet()), "a result for every frame, none lost");
        int duplicates = seen.values().stream().mapToInt(c -> c - 1).sum();
        OUT.printf("ComposeIT: %d frames, %d results (%d redelivered after the two interruptions: at-least-once)%n",
                FRAMES, FRAMES + duplicates, duplicates);

        compose(300, "down", "-v");
        up = false;
        String label = "label=com.docker.compose.project=" + PROJECT;
        assertEquals("", ok(60, "docker", "ps", "-aq", "--filter", label).strip(), "containers left after down -v");
        assertEquals("", ok(60, "docker", "network", "ls", "-q", "--filter", label).strip(), "networks left after down -v");
        assertEquals("", ok(60, "docker", "volume", "ls", "-q", "--filter", label).strip(), "volumes left after down -v");
    }

    /** Reads results until {@code want} distinct frames of the stream were answered; counts each frame's results. */
    private static void collect(KafkaConsumer<String, String> c, Map<Integer, Integer> seen, int want, int timeoutS) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (seen.size() < want) {
            if (System.nanoTime() > deadline) fail("only " + seen.size() + " of " + want + " frames answered within " + timeoutS + " s: " + seen.keySet());
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                JsonNode j = JSON.readTree(r.value());
                assertEquals(STREAM, j.get("stream").asText(), r.value());
                assertTrue(j.get("detections").isArray() && !j.has("skipped"), r.value());
                seen.merge(j.get("frame").asInt(), 1, Integer::sum);
            }
        }
    }

    private static Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>(sasl());
        p.put("bootstrap.servers", "127.0.0.1:" + kafkaPort);
        p.put("group.id", "compose-it");
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return p;
    }

    private static Map<String, String> sasl() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"resdet\" password=\""
                        + resdetPassword + "\";");
    }

    private static String[] kafkaArgs(String command, String... args) {
        List<String> a = new ArrayList<>(List.of(command, "--bootstrap", "127.0.0.1:" + kafkaPort));
        sasl().forEach((k, v) -> a.addAll(List.of("--kafka-property", k + "=" + v)));
        a.addAll(List.of(args));
        return a.toArray(String[]::new);
    }

    private static int http(String path, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(5));
            if (bearer != null) b.header("Authorization", "Bearer " + bearer);
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening (yet)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String inspect(String container, String format) {
        try {
            return ok(60, "docker", "inspect", "-f", format, container).strip();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(String what, int timeoutS, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail(what + ": not within " + timeoutS + " s");
            Thread.sleep(250);
        }
    }

    private static String[] composeCmd(String... args) {
        List<String> c = new ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f", "docker-compose.yml",
                "-f", "deploy/compose.local.yml", "-f", dir.resolve("test.yml").toString(), "--env-file", dir.resolve("test.env").toString()));
        c.addAll(List.of(args));
        return c.toArray(String[]::new);
    }

    private static String compose(int timeoutS, String... args) throws Exception {
        return ok(timeoutS, composeCmd(args));
    }

    private static String ok(int timeoutS, String... cmd) throws Exception {
        Proc p = run(timeoutS, cmd);
        assertEquals(0, p.code, String.join(" ", cmd) + ":\n" + p.out);
        return p.out;
    }

    /**
     * Runs in the repository root. The secrets come only from the env file; the host ports and the images from here:
     * Kafka's host listener and the HTTP port on 127.0.0.1 only.
     */
    private static Proc run(int timeoutS, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        for (String v : List.of("RESDET_HTTP_TOKEN", "KAFKA_ADMIN_PASSWORD", "KAFKA_RESDET_PASSWORD")) env.remove(v);
        env.put("KAFKA_HOST_PORT", Integer.toString(kafkaPort));
        env.put("HTTP_PUBLISH", "127.0.0.1:" + httpPort);
        env.put("RESDET_DOCKER_IMAGE", IMAGE);
        Path log = Files.createTempFile("resdet-compose-it-", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + ": not done within " + timeoutS + " s:\n" + Files.readString(log));
            }
            return new Proc(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String size(String image) throws Exception {
        long bytes = Long.parseLong(ok(60, "docker", "image", "inspect", "-f", "{{.Size}}", image).strip());
        return String.format("%d MB", bytes / 1_000_000);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
