package io.resdet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code resdet eval coco} on the fixture files. */
class EvalCocoCommandTest {
    static final Path COCO = CliRun.FIXTURES.resolve("coco-eval");
    @TempDir Path tmp;

    static Stream<String> cases() {
        return Stream.of("basic_small", "crowd", "noncontiguous_ids");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void jsonEqualsTheExpectedValues(String name) throws IOException {
        Path dir = COCO.resolve(name);
        CliRun r = CliRun.of("eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt", dir.resolve("dt.json").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode got = new ObjectMapper().readTree(r.out());
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        for (int i = 0; i < 12; i++) assertEquals(exp.get("stats").get(i).asDouble(), got.get("stats").get(i).asDouble(), 1e-9, "stats " + i);
        assertEquals(exp.get("per_category_ap").size(), got.get("per_category_ap").size());
        for (Iterator<Map.Entry<String, JsonNode>> it = exp.get("per_category_ap").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().asDouble(), got.get("per_category_ap").get(e.getKey()).asDouble(), 1e-9, "category " + e.getKey());
        }
    }

    @Test
    void textSummaryHasTwelvePycocotoolsLinesAndAPerClassTable() throws IOException {
        Path dir = COCO.resolve("basic_small");
        CliRun r = CliRun.of("eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt", dir.resolve("dt.json").toString(), "--per-class");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        String first = String.format(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = %s",
                new java.math.BigDecimal(exp.get("stats").get(0).asDouble()).setScale(3, java.math.RoundingMode.HALF_EVEN));
        assertEquals(first, lines[0]);
        assertTrue(lines[11].startsWith(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = "), lines[11]);
        assertTrue(r.out().contains("AP50") && r.out().contains("person"), r.out());
        assertTrue(r.err().matches("(?s).*categories (\\[[#-]+\\] )?3/3 .*"), "progress on stderr: " + r.err());
    }

    @Test
    void customThresholdsAndPlots() throws IOException {
        Path dir = COCO.resolve("basic_small");
        Path plots = tmp.resolve("plots");
        CliRun r = CliRun.of("eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt", dir.resolve("dt.json").toString(),
                "--iou-thrs", "0.5", "--max-dets", "1,10,100", "--json", "--plots", plots.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode got = new ObjectMapper().readTree(r.out());
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        // with 0.5 as the only threshold, AP@[.5] equals the default run's AP50
        assertEquals(exp.get("stats").get(1).asDouble(), got.get("stats").get(0).asDouble(), 1e-9);
        assertEquals(-1, got.get("stats").get(2).asDouble(), 0, "no 0.75 threshold");
        assertTrue(Files.isRegularFile(plots.resolve("report.md")));
        assertTrue(Files.isRegularFile(plots.resolve("pr_overall.png")));
    }

    @Test
    void badInputEndsInOneLineNamingTheFile() throws IOException {
        Path gt = COCO.resolve("basic_small").resolve("gt.json");
        Path dt = tmp.resolve("dt.json");
        Files.writeString(dt, "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 5, 5], \"score\": 0.5},\n {\"image_id\": 1 \"x\"}]");
        CliRun r = CliRun.of("eval", "coco", "--gt", gt.toString(), "--dt", dt.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains(dt.toString()) && r.lastErrLine().contains("line 2"), r.err());
        assertEquals("", r.out());

        Files.writeString(dt, "[{\"image_id\": 123456, \"category_id\": 1, \"bbox\": [0, 0, 5, 5], \"score\": 0.5}]");
        r = CliRun.of("eval", "coco", "--gt", gt.toString(), "--dt", dt.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().startsWith("resdet eval coco: " + dt + ": results[0]: image_id 123456"), r.err());

        r = CliRun.of("eval", "coco", "--gt", tmp.resolve("nope.json").toString(), "--dt", dt.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("nope.json: no such file"), r.err());

        r = CliRun.of("eval", "coco", "--gt", gt.toString(), "--dt", dt.toString(), "--max-dets", "1,10");
        assertNotEquals(0, r.code());
        assertTrue(r.lastErrLine().contains("--max-dets"), r.err());
    }

    @Test
    void deeplyNestedIgnoredFieldIsAnInputErrorNotACrash() throws IOException {
        Path gt = tmp.resolve("deep.json");
        Files.writeString(gt, "{\"info\": " + "[".repeat(100_000) + "]".repeat(100_000)
                + ", \"images\": [], \"annotations\": [], \"categories\": []}");
        Path dt = tmp.resolve("dt.json");
        Files.writeString(dt, "[]");
        CliRun r = CliRun.of("eval", "coco", "--gt", gt.toString(), "--dt", dt.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("resdet eval coco: " + gt + ": nesting deeper than 512 at byte 520", r.lastErrLine());
        assertEquals("", r.out());
    }

    @Test
    void emptyResultsGiveZeros() throws IOException {
        Path dt = tmp.resolve("empty.json");
        Files.writeString(dt, "[]");
        CliRun r = CliRun.of("eval", "coco", "--gt", COCO.resolve("basic_small").resolve("gt.json").toString(), "--dt", dt.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode stats = new ObjectMapper().readTree(r.out()).get("stats");
        for (int i = 0; i < 12; i++) assertEquals(0.0, stats.get(i).asDouble(), 0, "stats " + i);
    }
}
