package io.resdet.cli;

import io.resdet.nn.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/gpu-kit} packs the device check kit from this test's own class path, under the device tool's 64 MiB,
 * with what {@code detect} needs and nothing of the video/Kafka stack; its {@code run.sh} then runs here as it
 * would on the device machine: on DJL's CPU libtorch 2.7.1 (loads, finds no GPU, detects on the CPU) and on
 * Debian's libtorch 1.13 (DJL's JNI does not load: the report names the failure and the missing symbols).
 */
class GpuKitTest {
    @TempDir static Path dir;
    static Path kit;
    static String packOutput;

    @BeforeAll
    static void pack() throws Exception {
        kit = dir.resolve("kit");
        Result r = run(List.of("bash", "../bin/gpu-kit", "--out", kit.toString(), "--classpath", System.getProperty("java.class.path")),
                Map.of(), 900);
        packOutput = r.out;
        assertEquals(0, r.code, r.out);
    }

    @Test
    void kitFitsTheDeviceLimitAndHoldsWhatDetectNeeds() throws IOException {
        long bytes;
        try (Stream<Path> s = Files.walk(kit)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(bytes < 64L * 1024 * 1024, "kit is " + bytes + " bytes");
        assertTrue(bytes > 10L * 1024 * 1024, "kit is only " + bytes + " bytes");
        assertTrue(packOutput.contains("of the device's 64.0 MiB"), packOutput);
        assertEquals(List.of("CONTENTS.txt", "kit.tar.xz", "run.sh"), list(kit));
        List<String> contents = Files.readAllLines(kit.resolve("CONTENTS.txt")).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        for (String need : List.of("./jre/bin/java", "./jre/lib/server/libjvm.so", "./lib/picocli-4.7.7.jar", "./lib/api-0.36.0.jar",
                "./lib/pytorch-engine-0.36.0.jar", "./lib/pytorch-jni-2.7.1-0.36.0.jar", "./run.sh", "./compare.py")) {
            assertTrue(contents.contains(need), need + " missing from " + contents);
        }
        // resdet's modules: target/classes folders jarred by the kit (mvn test), or the module jars (mvn verify)
        for (String module : List.of("cli", "detector", "core")) {
            assertTrue(contents.stream().anyMatch(c -> c.matches("\\./lib/resdet-" + module + "(-[0-9][^/]*)?\\.jar")),
                    "resdet-" + module + " missing from " + contents);
        }
        for (String line : contents) {
            assertTrue(!line.matches(".*(-linux-x86_64\\.jar|opencv|openblas|kafka|vertx|netty|scala|pytorch-native).*"), "packed " + line);
        }
    }

    @Test
    void runsOnACpuLibtorchAndSaysNoGpu() throws Exception {
        Engines.pytorch();
        String cpuLibtorch = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        Path out = dir.resolve("out-cpu");
        Result r = run(List.of("bash", kit.resolve("run.sh").toString()), Map.of("OUT", out.toString(),
                "KIT_WORK", dir.resolve("work-cpu").toString(), "KIT_TORCH_LIB", cpuLibtorch, "KIT_FLAVOR", "cpu", "KIT_THREADS", "2"), 900);
        String report = Files.readString(out.resolve("report.txt"));
        assertEquals(0, r.code, report + "\n" + Files.readString(out.resolve("details.log")));
        assertTrue(report.contains("LOAD: ok, DJL's prebuilt cpu JNI (libtorch 2.7.1 ABI) runs on this libtorch"), report);
        assertTrue(report.contains("  libtorch cuda  no (CPU build)"), report);
        assertTrue(report.contains("GPU: not usable: resdet doctor: device 'gpu': no usable GPU; found libtorch 2.7.1 without CUDA (CPU build), flavour cpu from PYTORCH_LIBRARY_PATH " + cpuLibtorch), report);
        assertTrue(report.contains("RESULT: resdet runs here on the CPU only (8 images detected)"), report);
        assertEquals(List.of("details.log", "detections.tar.gz", "report.txt"), list(out));
        // the packed pytorch-jni holds the Linux x86-64 JNIs only
        Path jni;
        try (Stream<Path> s = Files.list(dir.resolve("work-cpu").resolve("lib"))) {
            jni = s.filter(p -> p.getFileName().toString().startsWith("pytorch-jni-")).findFirst().orElseThrow();
        }
        try (ZipFile z = new ZipFile(jni.toFile())) {
            List<String> libs = z.stream().map(e -> e.getName()).filter(n -> n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib")).sorted().toList();
            assertEquals(List.of("jnilib/linux-x86_64/cpu/libdjl_torch.so", "jnilib/linux-x86_64/cu128/libdjl_torch.so"), libs);
        }
    }

    @Test
    void reportsWhyDjlsJniDoesNotLoadOnAnotherLibtorch() throws Exception {
        String python = System.getProperty("resdet.oracle.python", "/usr/bin/python3");
        Result where = run(List.of(python, "-c", "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))"), Map.of(), 120);
        assertEquals(0, where.code, "Debian's python3-torch (bin/test installs it): " + where.out);
        String debianLibtorch = where.out.strip().lines().reduce((a, b) -> b).orElseThrow();
        Path out = dir.resolve("out-1.13");
        Result r = run(List.of("bash", kit.resolve("run.sh").toString()), Map.of("OUT", out.toString(),
                "KIT_WORK", dir.resolve("work-1.13").toString(), "KIT_TORCH_LIB", debianLibtorch, "KIT_FLAVOR", "cpu"), 600);
        String report = Files.readString(out.resolve("report.txt"));
        assertEquals(1, r.code, report);
        String failure = report.lines().filter(l -> l.startsWith("LOAD: failed with DJL's prebuilt cpu JNI: ")).findFirst().orElse("");
        assertTrue(failure.contains("resdet doctor: the PyTorch engine does not load: the PyTorch engine did not load (PYTORCH_LIBRARY_PATH, "
                + debianLibtorch + ", flavour cpu): "), report);
        assertTrue(failure.contains("libdjl_torch.so"), "the loader's own message names the JNI: " + failure);
        String missing = report.lines().filter(l -> l.startsWith("JNI symbols missing from this libtorch: ")).findFirst().orElse("");
        int count = Integer.parseInt(missing.replaceAll("^JNI symbols missing from this libtorch: (\\d+) of the \\d+ libtorch symbols it uses.*", "$1"));
        assertTrue(count > 0, missing);
        assertTrue(report.contains("RESULT: resdet cannot run on this machine's libtorch"), report);
    }

    @Test
    void aFullBuildRegistersEveryCommand() {
        // the kit leaves out commands whose libraries it does not carry (Main.loadable); here every one must be there
        assertEquals(Main.COMMANDS.size(), Main.commandLine().getSubcommands().size());
        assertTrue(Main.commandLine().getSubcommands().keySet().containsAll(List.of("serve", "consume", "produce", "demo", "doctor", "detect")));
    }

    private record Result(int code, String out) {}

    private static Result run(List<String> cmd, Map<String, String> env, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(dir, "run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " ran past " + seconds + " s: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
