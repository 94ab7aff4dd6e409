package io.resdet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench detector --peer onnxruntime} end to end on one small batch: torchvision builds the seeded model, saves
 * the weights for resdet and exports it to ONNX (cached); ONNX Runtime (the jar Maven resolved for this test, in a JVM
 * of its own) and resdet take turns on the same images; the table has the ratio, GFLOP/s, peak RSS, resdet's stages,
 * and the two sides' detections agree.
 */
class BenchDetectorCommandTest {
    @TempDir Path home;

    @Test
    void onnxRuntimePeerComparesLikeWithLike() throws Exception {
        String ortJar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.matches(".*onnxruntime-[0-9.]+\\.jar")).findFirst().orElseThrow();
        String before = System.getProperty("resdet.ort.jar");
        System.setProperty("resdet.ort.jar", ortJar);
        System.setProperty("RESDET_HOME", home.toString());
        try {
            CliRun run = CliRun.of("bench", "detector", "--peer", "onnxruntime", "--sizes", "1x120x160", "--repeats", "1", "--threads", "2");
            assertEquals(0, run.code(), run.err());
            String out = run.out();
            System.out.println(out);
            assertTrue(out.contains("| | resdet | ONNX Runtime 1.22.0 | resdet / ONNX Runtime 1.22.0 |"), out);
            Matcher total = Pattern.compile("\\| total ms \\| ([0-9.]+) \\| ([0-9.]+) \\| \\*\\*([0-9.]+)×\\*\\* \\|").matcher(out);
            assertTrue(total.find(), out);
            double ours = Double.parseDouble(total.group(1)), theirs = Double.parseDouble(total.group(2));
            assertEquals(ours / theirs, Double.parseDouble(total.group(3)), 0.006, "the ratio is the two medians' ratio");
            // 120×160 is resized to 800×1067 by the transform: R50-FPN does ~130 GMAC there (~260 GFLOP)
            Matcher gflop = Pattern.compile("1×120×160 \\(images × H × W\\): ([0-9.]+) GFLOP").matcher(out);
            assertTrue(gflop.find(), out);
            double g = Double.parseDouble(gflop.group(1));
            assertTrue(g > 150 && g < 400, "GFLOP " + g);
            assertTrue(out.contains("% of peak)"), out);
            assertTrue(Pattern.compile("\\| peak RSS MiB \\| [0-9]+ \\| [0-9]+ \\| \\|").matcher(out).find(), out);
            Matcher cpu = Pattern.compile("\\| CPU s per run: user \\+ kernel \\| ([0-9.]+) \\+ [0-9.]+ \\| ([0-9.]+) \\+ [0-9.]+ \\| \\|").matcher(out);
            assertTrue(cpu.find(), out);
            assertTrue(Double.parseDouble(cpu.group(1)) > 0.5 && Double.parseDouble(cpu.group(2)) > 0.5, "both sides did the work: " + out);
            Matcher agree = Pattern.compile("outputs: ONNX Runtime's ([0-9]+) detections: ([0-9]+) found in resdet's").matcher(out);
            assertTrue(agree.find(), out);
            int n = Integer.parseInt(agree.group(1));
            assertTrue(n > 10, "the decisive heads make detections: " + out);
            assertTrue(Integer.parseInt(agree.group(2)) >= 0.95 * n, out);
            assertFalse(out.contains("WARNING"), out);
            for (String stage : List.of("transform", "backbone", "fpn", "rpn", "roi_align", "box_head", "postprocess")) {
                assertTrue(Pattern.compile("\\| " + stage + " \\| [0-9.]+ \\|").matcher(out).find(), stage + ": " + out);
            }
            try (var cached = Files.list(home.resolve("onnx"))) {
                assertEquals(1, cached.filter(p -> p.getFileName().toString().matches("fasterrcnn_resnet50_fpn-1x120x160-[0-9a-f]{12}\\.onnx")).count());
            }
        } finally {
            if (before == null) System.clearProperty("resdet.ort.jar");
            else System.setProperty("resdet.ort.jar", before);
            System.clearProperty("RESDET_HOME");
        }
    }

    @Test
    void badPeerIsOneLine() {
        CliRun run = CliRun.of("bench", "detector", "--peer", "tensorrt", "--sizes", "1x64x64");
        assertEquals(2, run.code(), run.err());
        assertEquals("resdet bench detector: --peer: expected torchvision, onnxruntime or none, got 'tensorrt'", run.lastErrLine());
    }
}
