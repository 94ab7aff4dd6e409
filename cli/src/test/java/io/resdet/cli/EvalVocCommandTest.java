package io.resdet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.eval.voc.VocDevkitWriter;
import io.resdet.eval.voc.VocGroundTruth;
import io.resdet.eval.voc.VocJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resdet eval voc} on the fixture cases written out in the devkit layout. */
class EvalVocCommandTest {
    @TempDir Path tmp;

    private VocGroundTruth devkit(String name) {
        Path dir = CliRun.FIXTURES.resolve("voc-eval").resolve(name);
        VocGroundTruth gt = VocJson.readGroundTruth(dir.resolve("gt.json"));
        VocDevkitWriter.writeGroundTruth(gt, tmp.resolve("VOC2007"), "test");
        VocDevkitWriter.writeDetections(VocJson.readDetections(dir.resolve("dt.json")), tmp.resolve("dets"), "test");
        return gt;
    }

    private CliRun run(VocGroundTruth gt, String... extra) {
        String[] base = {"eval", "voc", "--root", tmp.resolve("VOC2007").toString(), "--set", "test",
                "--detections", tmp.resolve("dets").toString(), "--classes", String.join(",", gt.classes())};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void jsonEqualsTheExpectedValuesForBothMetrics() throws IOException {
        for (String name : new String[] {"voc_basic", "voc_edge"}) {
            VocGroundTruth gt = devkit(name);
            JsonNode exp = new ObjectMapper().readTree(CliRun.FIXTURES.resolve("voc-eval").resolve(name).resolve("expected.json").toFile());
            for (String metric : new String[] {"11point", "area"}) {
                CliRun r = run(gt, "--metric", metric, "--json");
                assertEquals(0, r.code(), r.err());
                JsonNode got = new ObjectMapper().readTree(r.out());
                String key = metric.equals("11point") ? "11point" : "area";
                assertEquals(exp.get("map_" + key).asDouble(), got.get("map").asDouble(), 1e-9, name + " " + metric);
                for (String c : gt.classes()) {
                    assertEquals(exp.get("ap_" + key).get(c).asDouble(), got.get("ap").get(c).asDouble(), 1e-9, name + " " + c);
                }
            }
        }
    }

    @Test
    void tableListsEveryClassAndTheMapAndPlotsAreWritten() throws IOException {
        VocGroundTruth gt = devkit("voc_basic");
        CliRun r = run(gt, "--plots", tmp.resolve("plots").toString());
        assertEquals(0, r.code(), r.err());
        for (String c : gt.classes()) assertTrue(r.out().contains("\n" + c + " "), c + " in\n" + r.out());
        assertTrue(r.out().contains("mAP"), r.out());
        assertTrue(Files.isRegularFile(tmp.resolve("plots").resolve("pr_all.png")));
    }

    @Test
    void aClassWithoutDetectionFileCountsZeroAndIsReported() throws IOException {
        VocGroundTruth gt = devkit("voc_basic");
        String missing = gt.classes().get(0);
        Files.delete(tmp.resolve("dets").resolve("comp4_det_test_" + missing + ".txt"));
        CliRun r = run(gt, "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(0.0, new ObjectMapper().readTree(r.out()).get("ap").get(missing).asDouble(), 0);
        assertTrue(r.err().contains("no detection file for class '" + missing + "'"), r.err());
    }

    @Test
    void badDetectionLineEndsInOneLineNamingTheFile() throws IOException {
        VocGroundTruth gt = devkit("voc_basic");
        Path f = tmp.resolve("dets").resolve("comp4_det_test_" + gt.classes().get(1) + ".txt");
        Files.writeString(f, "000001 0.5 1 2 3\n");
        CliRun r = run(gt);
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().startsWith("resdet eval voc: " + f + ":1: expected 6 fields"), r.err());
        r = CliRun.of("eval", "voc", "--root", tmp.resolve("nothing").toString(), "--detections", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("test.txt"), r.err());
    }
}
