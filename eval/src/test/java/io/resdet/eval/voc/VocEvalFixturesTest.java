package io.resdet.eval.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.eval.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every VOC fixture case against voc_eval's numbers: from the JSON form and through the devkit layout. */
class VocEvalFixturesTest {
    static final double TOL = 1e-9; // the README's tolerance; with numpy's summation order the values currently match bit for bit

    static Stream<Path> cases() {
        return Fixtures.cases("voc-eval").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesVocEvalFromJson(Path dir) {
        VocGroundTruth gt = VocJson.readGroundTruth(dir.resolve("gt.json"));
        Map<String, VocDetections> dets = VocJson.readDetections(dir.resolve("dt.json"));
        check(dir, gt, gt.classes(), c -> Optional.ofNullable(dets.get(c)).orElse(VocDetections.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesVocEvalThroughDevkitFiles(Path dir, @TempDir Path tmp) {
        VocGroundTruth json = VocJson.readGroundTruth(dir.resolve("gt.json"));
        Path root = tmp.resolve("VOCdevkit").resolve("VOC2007");
        VocDevkitWriter.writeGroundTruth(json, root, "test");
        VocDevkitWriter.writeDetections(VocJson.readDetections(dir.resolve("dt.json")), tmp.resolve("results"), "test");

        VocGroundTruth gt = VocDevkitReader.read(root, "test");
        assertEquals(json.imageIds(), gt.imageIds());
        List<String> classes = json.classes();
        check(dir, gt, classes, c -> VocDetectionFiles.find(tmp.resolve("results"), "test", c, classes)
                .map(VocDetections::read).orElse(VocDetections.empty()));
    }

    private static void check(Path dir, VocGroundTruth gt, List<String> classes, java.util.function.Function<String, VocDetections> dets) {
        JsonNode e = Fixtures.json(dir.resolve("expected.json"));
        assertTrue(e.get("pixel_plus_one").asBoolean());
        double thr = e.get("iou_threshold").asDouble();
        double sum11 = 0, sumArea = 0;
        for (String c : classes) {
            VocClassResult r = VocEval.evaluate(gt, c, dets.apply(c), thr, c);
            String what = dir.getFileName() + " " + c;
            assertEquals(e.get("npos").get(c).asInt(), r.npos(), what + " npos");
            assertEquals(e.get("num_difficult").get(c).asInt(), r.numDifficult(), what + " difficult");
            assertEquals(e.get("num_detections").get(c).asInt(), r.numDetections(), what + " detections");
            assertEquals(e.get("ap_11point").get(c).asDouble(), r.ap11(), TOL, what + " AP 11-point");
            assertEquals(e.get("ap_area").get(c).asDouble(), r.apArea(), TOL, what + " AP area");
            sum11 += r.ap11();
            sumArea += r.apArea();
        }
        assertEquals(e.get("map_11point").asDouble(), sum11 / classes.size(), TOL, dir + " mAP 11-point");
        assertEquals(e.get("map_area").asDouble(), sumArea / classes.size(), TOL, dir + " mAP area");
    }
}
