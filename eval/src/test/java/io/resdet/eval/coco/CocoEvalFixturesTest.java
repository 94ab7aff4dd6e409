package io.resdet.eval.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.eval.Fixtures;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every COCO fixture case against the numbers pycocotools produced for it. */
class CocoEvalFixturesTest {
    static final double TOL = 1e-9; // the README's tolerance; with numpy's summation order the values currently match bit for bit

    static Stream<Path> cases() {
        return Fixtures.cases("coco-eval").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPycocotools(Path dir) {
        JsonNode expected = Fixtures.json(dir.resolve("expected.json"));
        CocoGroundTruth gt = CocoGroundTruth.read(dir.resolve("gt.json"));
        CocoDetections dt = CocoDetections.read(dir.resolve("dt.json"), gt);
        CocoEvalResult r = CocoEval.evaluate(gt, dt);

        double[] stats = r.stats();
        JsonNode es = expected.get("stats");
        assertEquals(12, es.size());
        for (int i = 0; i < 12; i++) assertEquals(es.get(i).asDouble(), stats[i], TOL, dir.getFileName() + " stats[" + i + "]");

        checkPerCategory(gt, expected.get("per_category_ap"), r.perCategoryAp(), dir + " AP");
        checkPerCategory(gt, expected.get("per_category_ap50"), r.perCategoryAp50(), dir + " AP50");
        checkPerCategory(gt, expected.get("per_category_ap75"), r.perCategoryAp75(), dir + " AP75");
        checkPerCategory(gt, expected.get("per_category_ar100"), r.perCategoryAr(), dir + " AR100");
    }

    private static void checkPerCategory(CocoGroundTruth gt, JsonNode expected, double[] actual, String what) {
        assertEquals(gt.numCategories(), expected.size(), what + ": category count");
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int k = gt.categoryIndexOf(Long.parseLong(e.getKey()));
            assertEquals(e.getValue().asDouble(), actual[k], TOL, what + " category " + e.getKey());
        }
    }
}
