package io.resdet.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime's Java API as a benchmark peer, in a JVM of its own ({@code OrtWorker.java}, run from source with the
 * ONNX Runtime jar on its class path): ONNX Runtime is a bench-only dependency and never joins resdet's class path,
 * native libraries or threads. The jar is Maven Central's {@code com.microsoft.onnxruntime:onnxruntime}; it is taken
 * from {@code RESDET_ORT_JAR} / {@code -Dresdet.ort.jar} or the local Maven repository, and fetched there with
 * {@code mvn dependency:get} when missing (the bench's only download, said before it starts).
 */
public final class OnnxRuntimePeer implements AutoCloseable {
    public static final String VERSION = "1.22.0";
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    /** One image's detections as ONNX Runtime returned them (boxes in original pixels). */
    public record Detections(float[][] boxes, float[] scores, long[] labels) {}

    /** One timed run: seconds, the worker's peak RSS (KiB), its CPU seconds so far (user, system) and the detections per image. */
    public record Run(double seconds, long peakRssKib, double[] cpuSeconds, List<Detections> detections) {}

    public OnnxRuntimePeer(Path ortJar, Path model, int threads) throws IOException {
        Path source = Files.createTempDirectory("resdet-ort").resolve("OrtWorker.java");
        try (InputStream s = OnnxRuntimePeer.class.getResourceAsStream("/io/resdet/cli/bench/OrtWorker.java")) {
            Files.write(source, s.readAllBytes());
        }
        source.toFile().deleteOnExit();
        source.getParent().toFile().deleteOnExit();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx2g", "-cp", ortJar.toString(), source.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        // The worker inherits resdet's environment, allocator settings included (bin/resdet's MALLOC_*): they help ONNX
        // Runtime as well (one image: ~2.15 s with them, ~2.5 s without, measured here), so both sides get them.
        process = pb.start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ok = ask("load " + model + " " + threads);
        if (!ok.startsWith("ok")) throw new IOException("ONNX Runtime did not load " + model + ": " + ok);
    }

    /** Runs the images stored in {@code images} (N float32 (3, H, W), little-endian). */
    public Run run(Path images, int n, int h, int w) throws IOException {
        String reply = ask("run " + images + " " + n + " " + h + " " + w);
        String[] head = reply.split(" ", 5);
        try {
            List<Detections> dets = new ArrayList<>();
            for (String image : (head.length > 4 ? head[4] : "").split(";", -1)) dets.add(parse(image.trim()));
            return new Run(Double.parseDouble(head[0]), Long.parseLong(head[1]),
                    new double[] {Double.parseDouble(head[2]), Double.parseDouble(head[3])}, dets);
        } catch (RuntimeException e) {
            throw new IOException("ONNX Runtime worker: unexpected reply '" + abbreviate(reply) + "'");
        }
    }

    /** Clears the worker's peak RSS, so the next size reports its own. */
    public void resetPeak() throws IOException {
        ask("reset_peak");
    }

    private static Detections parse(String s) {
        String[] t = s.isEmpty() ? new String[] {"0"} : s.split(" ");
        int k = Integer.parseInt(t[0]);
        float[][] boxes = new float[k][4];
        float[] scores = new float[k];
        long[] labels = new long[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < 4; j++) boxes[i][j] = Float.parseFloat(t[1 + 6 * i + j]);
            scores[i] = Float.parseFloat(t[1 + 6 * i + 4]);
            labels[i] = Long.parseLong(t[1 + 6 * i + 5]);
        }
        return new Detections(boxes, scores, labels);
    }

    private String ask(String line) throws IOException {
        in.println(line);
        String reply = out.readLine();
        if (reply == null) throw new IOException("the ONNX Runtime worker exited (see its error above)");
        if (reply.startsWith("error")) throw new IOException("ONNX Runtime worker: " + reply);
        return reply;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /**
     * The ONNX Runtime jar: {@code RESDET_ORT_JAR} / {@code -Dresdet.ort.jar}, else the local Maven repository's copy,
     * fetched there first when missing.
     */
    public static Path jar() throws IOException {
        String given = System.getProperty("resdet.ort.jar", System.getenv("RESDET_ORT_JAR"));
        if (given != null) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) throw new IOException("RESDET_ORT_JAR: no such file " + p);
            return p;
        }
        Path repo = Path.of(System.getProperty("maven.repo.local", Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Path jar = repo.resolve("com/microsoft/onnxruntime/onnxruntime/" + VERSION + "/onnxruntime-" + VERSION + ".jar");
        if (Files.isRegularFile(jar)) return jar;
        System.err.println("bench: fetching ONNX Runtime " + VERSION + " (bench only, ~140 MB) from Maven Central into " + repo);
        ProcessBuilder pb = new ProcessBuilder("mvn", "-q", "-B", "dependency:get",
                "-Dartifact=com.microsoft.onnxruntime:onnxruntime:" + VERSION).inheritIO();
        try {
            int rc = pb.start().waitFor();
            if (rc != 0 || !Files.isRegularFile(jar)) {
                throw new IOException("could not fetch ONNX Runtime " + VERSION + " with Maven (exit " + rc + "); set RESDET_ORT_JAR to its jar");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching ONNX Runtime");
        }
        return jar;
    }

    @Override
    public void close() {
        in.println("quit");
        in.close();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
