package io.resdet.streamservice;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose.yml at the repository root is valid (Debian's docker-compose checks it offline; bin/test installs it). */
class ComposeFileTest {
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(Path.of("..").toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void composeFileValidates() throws Exception {
        assertTrue(Files.isRegularFile(Path.of("..", "docker-compose.yml")));
        assertTrue(Files.isRegularFile(Path.of("..", "Dockerfile")));
        run("docker-compose", "-f", "docker-compose.yml", "config", "-q");
        String gpu = run("docker-compose", "-f", "docker-compose.yml", "--profile", "gpu", "config");
        assertTrue(gpu.contains("resdet-gpu") && gpu.contains("driver: nvidia") && gpu.contains("capabilities:"), gpu);
        assertTrue(gpu.contains("RESDET_BOOTSTRAP: kafka:9092"), gpu);
    }
}
