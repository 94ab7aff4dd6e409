package io.resdet.eval.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.resdet.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-reasoned voc_eval behaviours and bad devkit input. */
class VocEvalTest {
    // GT 0..9 × 0..9 inclusive: 100 pixels
    static final VocGroundTruth GT = new VocGroundTruth(List.of("a"),
            Map.of("a", List.of(new VocObject("cat", 0, 0, 9, 9, false))), List.of("cat"));

    private static VocDetections one(double x1, double y1, double x2, double y2) {
        return new VocDetections(List.of("a"), new double[] {0.9}, new double[] {x1, y1, x2, y2});
    }

    @Test
    void overlapOfExactlyHalfIsAFalsePositive() {
        // det 0..9 × 0..4: 50 pixels inside, union 100 → overlap 0.5, not > 0.5
        assertEquals(0, VocEval.evaluate(GT, "cat", one(0, 0, 9, 4), 0.5, "t").ap11(), 0);
        // one more row: 60/100
        assertEquals(1, VocEval.evaluate(GT, "cat", one(0, 0, 9, 5), 0.5, "t").ap11(), 1e-15);
    }

    @Test
    void elevenPointSkipsThePointThatRecallPointThreeDoesNotReach() {
        // recall exactly 0.3 (precision 1) reaches thresholds 0, .1, .2 but not 3*0.1 = 0.30000000000000004
        double ap = VocEval.ap11(new double[] {0.3}, new double[] {1.0});
        assertEquals(3 / 11.0, ap, 1e-15);
    }

    @Test
    void areaMetricIsTheAreaUnderTheMonotoneCurve() {
        // the 0.5 dip is lifted to the 2/3 that follows it: .5*1 + .5*(2/3)
        assertEquals(0.5 + 0.5 * (2 / 3.0), VocEval.apArea(new double[] {0.5, 0.5, 1.0}, new double[] {1.0, 0.5, 2 / 3.0}), 1e-15);
    }

    @Test
    void detectionOnAnUnknownImageIsAnError() {
        VocDetections d = new VocDetections(List.of("zz"), new double[] {0.5}, new double[] {0, 0, 1, 1});
        assertTrue(assertThrows(EvalInputException.class, () -> VocEval.evaluate(GT, "cat", d, 0.5, "dets.txt"))
                .getMessage().contains("dets.txt: detection #1: image 'zz'"));
    }

    @Test
    void badDetectionLinesNameFileAndLine(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("comp4_det_test_cat.txt");
        Files.writeString(f, "a 0.5 0 0 1 1\n\na 0.4 0 0 1\n");
        assertTrue(assertThrows(EvalInputException.class, () -> VocDetections.read(f)).getMessage().startsWith(f + ":3: expected 6 fields"));
        Files.writeString(f, "a x 0 0 1 1\n");
        assertTrue(assertThrows(EvalInputException.class, () -> VocDetections.read(f)).getMessage().contains(":1: score is not a number"));
    }

    @Test
    void badAnnotationsNameTheFile(@TempDir Path tmp) throws IOException {
        VocDevkitWriter.writeGroundTruth(GT, tmp, "test");
        Path xml = tmp.resolve("Annotations").resolve("a.xml");
        Files.writeString(xml, "<annotation><object><name>cat</name>");
        assertTrue(assertThrows(EvalInputException.class, () -> VocDevkitReader.read(tmp, "test")).getMessage().startsWith(xml + ": malformed XML"));
        Files.delete(xml);
        assertTrue(assertThrows(EvalInputException.class, () -> VocDevkitReader.read(tmp, "test")).getMessage().startsWith(xml.toString()));
        assertTrue(assertThrows(EvalInputException.class, () -> VocDevkitReader.read(tmp, "val")).getMessage().contains("val.txt"));
    }

    @Test
    void detectionFilesAreFoundByDevkitNameOrSuffix(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("mine_cat.txt"), "");
        Files.writeString(tmp.resolve("x_bobcat.txt"), "");
        List<String> classes = List.of("cat", "bobcat", "dog");
        assertEquals("mine_cat.txt", VocDetectionFiles.find(tmp, "test", "cat", classes).orElseThrow().getFileName().toString());
        assertTrue(VocDetectionFiles.find(tmp, "test", "dog", classes).isEmpty());
        Files.writeString(tmp.resolve("comp4_det_test_cat.txt"), "");
        assertEquals("comp4_det_test_cat.txt", VocDetectionFiles.find(tmp, "test", "cat", classes).orElseThrow().getFileName().toString());
    }
}
