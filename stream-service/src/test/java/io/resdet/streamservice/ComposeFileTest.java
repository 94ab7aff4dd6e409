package io.resdet.streamservice;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml at the repository root is valid (Debian's docker-compose checks it offline; bin/test installs it),
 * takes its secrets from an env file that is not committed, and refuses to run without them.
 */
class ComposeFileTest {
    @TempDir Path tmp;

    record Result(int code, String out) {}

    /** Runs in the repository root with the secrets' variables removed from the environment: only --env-file counts. */
    static Result run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("..").toFile()).redirectErrorStream(true);
        for (String v : List.of("RESDET_HTTP_TOKEN", "KAFKA_ADMIN_PASSWORD", "KAFKA_RESDET_PASSWORD")) pb.environment().remove(v);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose did not finish");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String ok(String... cmd) throws Exception {
        Result r = run(cmd);
        assertEquals(0, r.code, String.join(" ", cmd) + ": " + r.out);
        return r.out;
    }

    @Test
    void composeFileValidates() throws Exception {
        assertTrue(Files.isRegularFile(Path.of("..", "docker-compose.yml")));
        assertTrue(Files.isRegularFile(Path.of("..", "Dockerfile")));
        Path env = tmp.resolve("test.env");
        Files.writeString(env, "RESDET_HTTP_TOKEN=token-for-compose-test\nKAFKA_ADMIN_PASSWORD=admin-pw-0123456789\n"
                + "KAFKA_RESDET_PASSWORD=resdet-pw-0123456789\n");
        String e = env.toString();
        ok("docker-compose", "-f", "docker-compose.yml", "--env-file", e, "config", "-q");
        String gpu = ok("docker-compose", "-f", "docker-compose.yml", "--env-file", e, "--profile", "gpu", "config");
        assertTrue(gpu.contains("resdet-gpu") && gpu.contains("driver: nvidia") && gpu.contains("capabilities:"), gpu);
        assertTrue(gpu.contains("RESDET_BOOTSTRAP: kafka:9092"), gpu);
        // Each service builds its own target of the one Dockerfile: the CPU image stays as it is.
        assertTrue(gpu.contains("target: gpu") && gpu.contains("image: resdet:gpu"), gpu);
        assertTrue(gpu.contains("target: cpu") && gpu.contains("image: resdet:latest"), gpu);
        // The override CI uses: local images, everything else as users run it.
        String local = ok("docker-compose", "-f", "docker-compose.yml", "-f", "deploy/compose.local.yml", "--env-file", e, "--profile", "gpu", "config");
        assertTrue(local.contains("image: resdet-local/kafka:") && local.contains("image: resdet-local/resdet:latest"), local);
        assertTrue(local.contains("image: resdet:gpu"), local);
    }

    @Test
    void secretsComeFromTheEnvFileAndKafkaNeedsThem() throws Exception {
        Path env = tmp.resolve("test.env");
        Files.writeString(env, "RESDET_HTTP_TOKEN=token-for-compose-test\nKAFKA_ADMIN_PASSWORD=admin-pw-0123456789\n"
                + "KAFKA_RESDET_PASSWORD=resdet-pw-0123456789\n");
        String cfg = ok("docker-compose", "-f", "docker-compose.yml", "--env-file", env.toString(), "config");
        assertTrue(cfg.contains("RESDET_HTTP_TOKEN: token-for-compose-test"), cfg);
        assertTrue(cfg.contains("RESDET_KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT"), cfg);
        assertTrue(cfg.contains("RESDET_KAFKA_SASL_MECHANISM: SCRAM-SHA-512"), cfg);
        assertTrue(cfg.contains("required username=\"resdet\" password=\"resdet-pw-0123456789\";"), cfg);
        assertTrue(cfg.contains("KAFKA_ADMIN_PASSWORD: admin-pw-0123456789"), cfg);
        assertTrue(cfg.contains("- 127.0.0.1:9092:9094/tcp"), "Kafka's host listener published on the host's loopback only: " + cfg);
        assertTrue(cfg.contains("KAFKA_HOST_PORT: '9092'"), "advertised to host clients as the published port: " + cfg);
        // (compose v1 lists the gpu profile's service too)
        assertEquals(3, cfg.split("restart: unless-stopped", -1).length - 1, "every service restarts after a crash: " + cfg);
        assertFalse(cfg.contains("PLAINTEXT://kafka:9092"), cfg);
        assertEquals(0, new ProcessBuilder("bash", "-n", "deploy/kafka-sasl.sh").directory(Path.of("..").toFile()).start().waitFor());

        // The committed example has no values: used as it is, compose stops and names what is missing.
        Result missing = run("docker-compose", "-f", "docker-compose.yml", "--env-file", ".env.example", "config", "-q");
        assertEquals(1, missing.code, missing.out);
        assertTrue(missing.out.strip().endsWith("set KAFKA_ADMIN_PASSWORD in .env (see .env.example)"), missing.out);
        Result noToken = run("docker-compose", "-f", "docker-compose.yml", "--env-file", write("KAFKA_ADMIN_PASSWORD=a-0123456789abcdef\n"
                + "KAFKA_RESDET_PASSWORD=r-0123456789abcdef\n"), "config", "-q");
        assertEquals(1, noToken.code, noToken.out);
        assertTrue(noToken.out.strip().endsWith("set RESDET_HTTP_TOKEN in .env (see .env.example)"), noToken.out);
        assertTrue(Files.readAllLines(Path.of("..", ".gitignore")).contains(".env"), ".env must not be committed");
    }

    private String write(String content) throws Exception {
        Path p = Files.createTempFile(tmp, "env", ".env");
        Files.writeString(p, content);
        return p.toString();
    }
}
