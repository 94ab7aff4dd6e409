package io.resdet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the numerical oracle: Debian's python3 with torch/torchvision, installed by {@code bin/test}.
 * Tests never skip when it is missing; they fail, naming the install command.
 */
public final class Oracle {
    private Oracle() {}

    public static String python() {
        return System.getProperty("resdet.oracle.python", "/usr/bin/python3");
    }

    /** Runs {@code script} with {@code args}; returns stdout. Fails with the script's stderr on a non-zero exit. */
    public static String run(String script, String... args) {
        try {
            Path file = Files.createTempFile("resdet-oracle", ".py");
            Files.writeString(file, script);
            List<String> cmd = new ArrayList<>();
            cmd.add(python());
            cmd.add(file.toString());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            // Match the JVM side's thread count so timings and reductions are comparable.
            pb.environment().put("OMP_NUM_THREADS", System.getProperty("resdet.oracle.threads", "2"));
            Path err = Files.createTempFile("resdet-oracle", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("oracle timed out: " + script.lines().findFirst().orElse(""));
            }
            String stderr = Files.readString(err);
            Files.deleteIfExists(file);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new AssertionError("oracle failed (exit " + p.exitValue() + ") — is python3-torchvision installed? "
                        + "Run bin/test, which installs it.\n" + stderr);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run the oracle " + python() + ": " + e.getMessage()
                    + " (bin/test installs python3-torchvision)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Loads a test resource (e.g. an oracle script) as text. */
    public static String resource(String name) {
        try (var in = Oracle.class.getResourceAsStream(name)) {
            if (in == null) throw new AssertionError("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
