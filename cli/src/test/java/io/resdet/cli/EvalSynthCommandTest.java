package io.resdet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resdet eval synth}: seeded, valid COCO files that {@code eval coco} accepts, with a realistic mix. */
class EvalSynthCommandTest {
    @TempDir Path tmp;

    @Test
    void sameSeedSameFilesAndTheCaseEvaluates() throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        String[] args = {"--images", "200", "--categories", "12", "--dets-per-image", "30"};
        assertEquals(0, CliRun.of(concat(new String[] {"eval", "synth", "--out", a.toString(), "--seed", "7"}, args)).code());
        assertEquals(0, CliRun.of(concat(new String[] {"eval", "synth", "--out", b.toString(), "--seed", "7"}, args)).code());
        assertEquals(0, CliRun.of(concat(new String[] {"eval", "synth", "--out", c.toString(), "--seed", "8"}, args)).code());
        assertArrayEquals(Files.readAllBytes(a.resolve("dt.json")), Files.readAllBytes(b.resolve("dt.json")));
        assertArrayEquals(Files.readAllBytes(a.resolve("gt.json")), Files.readAllBytes(b.resolve("gt.json")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("dt.json")), Files.readAllBytes(c.resolve("dt.json"))));

        JsonNode gt = new ObjectMapper().readTree(a.resolve("gt.json").toFile());
        JsonNode dt = new ObjectMapper().readTree(a.resolve("dt.json").toFile());
        assertEquals(200, gt.get("images").size());
        assertEquals(12, gt.get("categories").size());
        assertEquals(200 * 30, dt.size());
        int crowd = 0, small = 0, large = 0, n = gt.get("annotations").size();
        for (JsonNode ann : gt.get("annotations")) {
            crowd += ann.get("iscrowd").asInt();
            double area = ann.get("area").asDouble();
            if (area < 32 * 32) small++;
            if (area > 96 * 96) large++;
        }
        assertTrue(n > 200 * 5 && n < 200 * 10, "about 7 objects per image: " + n);
        assertTrue(crowd > 0 && crowd < n * 0.05, "about 1% crowd: " + crowd + "/" + n);
        assertTrue(small > n * 0.2 && large > n * 0.1, "sizes spread: " + small + " small, " + large + " large of " + n);

        CliRun r = CliRun.of("eval", "coco", "--gt", a.resolve("gt.json").toString(), "--dt", a.resolve("dt.json").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        double ap = new ObjectMapper().readTree(r.out()).get("stats").get(0).asDouble();
        assertTrue(ap > 0.2 && ap < 0.8, "a noisy but useful detector: AP " + ap);
    }

    @Test
    void rejectsNonsenseSizes() {
        CliRun r = CliRun.of("eval", "synth", "--out", tmp.toString(), "--images", "0");
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("--images"), r.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
