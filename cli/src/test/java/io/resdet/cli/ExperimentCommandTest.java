package io.resdet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short real runs of both experiments produce their CSV, PNG and summary; bad input fails in one line. */
class ExperimentCommandTest {
    @Test
    void degradationWritesCurvesFigureAndSummary(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("experiment", "degradation", "--data", "synthetic:40", "--depths", "8,14",
                "--iterations", "2", "--batch", "8", "--eval-every", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("8/8 it"), "progress over the whole sweep: " + r.err());
        List<String> rows = Files.readAllLines(out.resolve("curves.csv"));
        assertEquals("arch,kind,depth,iteration,train_error,test_error,train_loss,lr,seconds", rows.get(0));
        assertEquals(1 + 4 * 2, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(List.of("plain_resnet8", "resnet8", "plain_resnet14", "resnet14").contains(f[0]), row);
            for (int i : new int[] {4, 5}) {
                double e = Double.parseDouble(f[i]);
                assertTrue(e >= 0 && e <= 1, row);
            }
            assertTrue(Double.parseDouble(f[6]) > 0, row);
        }
        BufferedImage png = ImageIO.read(out.resolve("degradation.png").toFile());
        assertEquals(1040, png.getWidth());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| 8 | ") && md.contains("| 14 | "), md);
        assertTrue(md.contains("degradation") || md.contains("Degradation"), md);

        // The same folder again: refused without --resume, refused with other settings, and with the run's own
        // settings the finished networks are kept as they were.
        String[] again = {"experiment", "degradation", "--data", "synthetic:40", "--depths", "8,14",
                "--iterations", "2", "--batch", "8", "--eval-every", "1", "--out", out.toString()};
        r = CliRun.of(again);
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("--resume") && r.lastErrLine().contains(out.toString()), r.err());
        String[] otherBatch = again.clone();
        otherBatch[9] = "4";
        r = CliRun.of(concat(otherBatch, "--resume"));
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("run.batch was 8"), r.err());
        r = CliRun.of(concat(again, "--resume"));
        assertEquals(0, r.code(), r.err());
        assertEquals(rows, Files.readAllLines(out.resolve("curves.csv")));
    }

    @Test
    void fashionMnistTrainsAOneChannelNet(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("experiment", "degradation", "--data", "fashion-mnist", "--depths", "8", "--iterations", "2",
                "--batch", "8", "--eval-every", "1", "--test-images", "16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("Data: fashion-mnist (60000 training images, 10000 test images of which 16 evaluated, 10 classes)"), md);
        assertEquals(1 + 2 * 2, Files.readAllLines(out.resolve("curves.csv")).size());

        r = CliRun.of("experiment", "degradation", "--data", "fashion-mnist:" + out.resolve("nowhere"), "--out", out.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().endsWith(out.resolve("nowhere") + ": no such folder"), r.err());
    }

    @Test
    void resumeNeedsARunToContinue(@TempDir Path out) {
        CliRun r = CliRun.of("experiment", "depth", "--data", "synthetic:20", "--models", "resnet8", "--iterations", "1",
                "--resume", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("nothing to resume"), r.err());
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void depthWritesGradientAndActivationCurves(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("experiment", "depth", "--data", "synthetic:20", "--models", "resnet8,preact11",
                "--iterations", "2", "--batch", "4", "--eval-every", "1", "--test-images", "8", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("curves.csv"));
        assertTrue(rows.get(0).startsWith("arch,iteration,train_loss,train_error,test_error,first_layer_grad_norm"));
        assertEquals(1 + 4 * 2, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(Double.parseDouble(f[5]) > 0, "gradient reaches the first layer: " + row);
            assertTrue(Double.parseDouble(f[f.length - 1]) > 0, row);
            assertTrue(Double.parseDouble(f[7]) > 0, "seconds: " + row);
        }
        assertTrue(rows.stream().anyMatch(s -> s.startsWith("plain_preact11,")));
        assertEquals(3 * 440, ImageIO.read(out.resolve("depth.png").toFile()).getWidth());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| plain_resnet8 |") && md.contains("GiB"), md);
    }

    @Test
    void badInputEndsInOneLineNamingTheProblem(@TempDir Path out) {
        CliRun r = CliRun.of("experiment", "degradation", "--data", "mnist:x", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("--data") && r.lastErrLine().contains("mnist"), r.err());

        r = CliRun.of("experiment", "degradation", "--data", "cifar10:" + out.resolve("nowhere"), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("data_batch_1.bin"), r.err());

        r = CliRun.of("experiment", "degradation", "--data", "synthetic", "--depths", "20,21", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("21"), r.err());

        r = CliRun.of("experiment", "depth", "--data", "synthetic:20", "--models", "resnet50", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("resnet50"), r.err());

        r = CliRun.of("experiment", "depth", "--data", "synthetic:20", "--models", "resnet9", "--iterations", "1", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("6n+2"), r.err());
    }
}
