package io.resdet.cli;

import io.resdet.streamservice.EmbeddedBroker;
import io.resdet.streamservice.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `produce` → `serve` → `consume` through a real broker with default topic names, plus `demo` and one-line errors. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StreamCommandsTest {
    static Path dir;
    static EmbeddedBroker broker;
    static Path weights;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("resdet-cli-stream-");
        broker = EmbeddedBroker.start(dir.resolve("kafka"), 0);
        weights = Models.writeTinyWeights(dir.resolve("tiny.safetensors"));
    }

    @AfterAll
    static void down() {
        if (broker != null) broker.close();
        DemoCommand.deleteTree(dir);
    }

    @Test
    void produceServeConsume(@TempDir Path out) throws Exception {
        String b = broker.bootstrap();
        var p = CliRun.of("produce", "--bootstrap", b, "--stream", "door", "--frames", "6", "--fps", "0", "--size", "64x48", "synthetic");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.err().contains("sent 6 frames of stream door"), p.err());
        // serve ends by itself once the six frames are handled; consume then reads from the beginning.
        var s = CliRun.of("serve", "--bootstrap", b, "--arch", "fasterrcnn_resnet18_fpn",
                "--weights", weights.toString(), "--num-classes", "4", "--labels", "background,red,green,blue",
                "--min-size", "64", "--max-size", "80", "--representation-size", "128", "--rpn-proposals", "20",
                "--http-port", "0", "--stop-after", "6", "--duration", "150", "--kafka-property", "client.rack=test");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.err().contains("6 frames in, 6 results (0 skipped), 0 dead letters"), s.err());
        var c = CliRun.of("consume", "--bootstrap", b, "--count", "6", "--timeout", "60", "--render", out.toString());
        assertEquals(0, c.code(), c.err());
        List<String> lines = c.out().strip().lines().toList();
        assertEquals(6, lines.size(), c.out());
        for (int i = 0; i < 6; i++) {
            assertTrue(lines.get(i).startsWith("{\"schema\":\"resdet.detections/v1\",\"stream\":\"door\",\"frame\":" + i + ","), lines.get(i));
        }
        assertTrue(Files.exists(out.resolve("door-0.jpg")) && Files.exists(out.resolve("door-5.jpg")), c.err());
    }

    @Test
    void demoRunsByItselfAndEnds() {
        var d = CliRun.of("demo", "--frames", "3", "--streams", "2", "--fps", "20", "--size", "96x72", "--http-port", "0", "--max-lag-ms", "600000");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().strip().matches("http://127\\.0\\.0\\.1:\\d+/"), d.out());
        assertTrue(d.err().contains("UNTRAINED"), d.err());
        assertTrue(d.err().contains("6 frames in, 6 results (0 skipped), 0 dead letters"), d.err());
    }

    @Test
    void badInputIsOneLine(@TempDir Path tmp) throws Exception {
        String b = broker.bootstrap();
        var noWeights = CliRun.of("serve", "--bootstrap", b);
        assertEquals(2, noWeights.code());
        assertTrue(noWeights.lastErrLine().contains("--weights: required"), noWeights.err());
        var missing = CliRun.of("serve", "--bootstrap", b, "--weights", tmp.resolve("nope.safetensors").toString());
        assertEquals(2, missing.code());
        assertEquals("resdet serve: " + tmp.resolve("nope.safetensors") + ": no such weights file", missing.lastErrLine());
        Path cfg = tmp.resolve("c.yaml");
        Files.writeString(cfg, "workers: lots\n");
        var badCfg = CliRun.of("serve", "--config", cfg.toString(), "--weights", "x");
        assertEquals(2, badCfg.code());
        assertEquals("resdet serve: " + cfg + ": 'workers' must be an integer, got 'lots'", badCfg.lastErrLine());
        var noDir = CliRun.of("produce", "--bootstrap", b, tmp.resolve("frames").toString());
        assertEquals(2, noDir.code());
        assertEquals("resdet produce: " + tmp.resolve("frames") + ": no such folder (SOURCE is an image folder or 'synthetic')", noDir.lastErrLine());
        Files.createDirectories(tmp.resolve("empty"));
        var empty = CliRun.of("produce", "--bootstrap", b, tmp.resolve("empty").toString());
        assertEquals("resdet produce: " + tmp.resolve("empty") + ": no .jpg, .jpeg or .png files", empty.lastErrLine());
        var t = CliRun.of("consume", "--bootstrap", b, "--timeout", "0");
        assertEquals(2, t.code());
        assertEquals("resdet consume: --timeout: must be > 0, got 0.0", t.lastErrLine());
        var shapes = CliRun.of("serve", "--bootstrap", b, "--arch", "fasterrcnn_resnet18_fpn", "--weights", weights.toString(), "--num-classes", "4");
        assertEquals(2, shapes.code());
        assertTrue(shapes.lastErrLine().startsWith("resdet serve: " + weights + ": checkpoint does not fit the model: mis-shaped roi_heads.box_head.fc6.weight"),
                shapes.lastErrLine());
    }
}
