package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.detector.data.DetectionDataset;
import io.resdet.detector.data.DetectionDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code resdet data synth}: a COCO-layout shapes set that the training datasets open, and one-line refusals. */
class DataSynthCommandTest {
    @TempDir Path tmp;

    @Test
    void writesTheSetAndItOpensAsADatasetSpec() throws IOException {
        Path out = tmp.resolve("shapes");
        CliRun r = CliRun.of("data", "synth", "--out", out.toString(), "--images", "12", "--val", "3", "--classes", "4",
                "--width", "96", "--height", "64", "--max-objects", "3", "--seed", "5", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("12/15 images") || r.err().contains("15/15 images"), "progress line: " + r.err());
        assertTrue(r.lastErrLine().startsWith("resdet data synth: wrote 12 train images"), r.err());
        assertEquals(12, count(out.resolve("train")));
        assertEquals(3, count(out.resolve("val")));
        assertEquals(List.of("__background__", "circle", "rectangle", "triangle", "ellipse"), Files.readAllLines(out.resolve("labels.txt")));
        String readme = Files.readString(out.resolve("README.txt"));
        assertTrue(readme.contains("resdet data synth --out " + out + " --images 12 --val 3 --shape-kinds 4 --width 96 --height 64 "
                + "--max-objects 3 --seed 5"), readme);
        JsonNode train = new ObjectMapper().readTree(out.resolve("annotations").resolve("instances_train.json").toFile());
        assertEquals(96, train.get("images").get(0).get("width").asInt());
        assertEquals(64, train.get("images").get(0).get("height").asInt());
        assertEquals(4, train.get("categories").size());

        DetectionDataset ds = DetectionDatasets.open(out.toString(), true);
        assertEquals(12, ds.size());
        assertArrayEquals(new int[] {96, 64}, ds.imageSize(0));
        assertEquals(64, ds.get(11).image().height());
        assertEquals(3, DetectionDatasets.open(out.toString(), false).size());
    }

    @Test
    void defaultsAndSquareSize() throws IOException {
        Path out = tmp.resolve("d");
        assertEquals(0, CliRun.of("data", "synth", "--out", out.toString(), "--images", "20", "--size", "48").code());
        assertEquals(2, count(out.resolve("val")), "N/10 validation images");
        assertEquals(4, Files.readAllLines(out.resolve("labels.txt")).size(), "3 classes by default");
        assertArrayEquals(new int[] {48, 48}, DetectionDatasets.open(out.toString(), false).imageSize(0));
    }

    @Test
    void refusesANonEmptyFolderUnlessForced() throws IOException {
        Path out = tmp.resolve("full");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "x");
        CliRun r = CliRun.of("data", "synth", "--out", out.toString(), "--images", "2", "--size", "32");
        assertEquals(2, r.code());
        assertEquals("resdet data synth: " + out + ": not empty (1 entries); use --force to write into it", r.lastErrLine());
        assertEquals(0, CliRun.of("data", "synth", "--out", out.toString(), "--images", "2", "--size", "32", "--force").code());
        assertEquals(2, count(out.resolve("train")));
        assertEquals("x", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void badValuesAreOneLineErrors() {
        String out = tmp.resolve("bad").toString();
        assertError("--shape-kinds must be 1..8, got 9", "--out", out, "--images", "5", "--classes", "9");
        assertError("--shape-kinds must be 1..8, got 0", "--out", out, "--images", "5", "--classes", "0");
        assertError("--images must be at least 1, got 0", "--out", out, "--images", "0");
        assertError("--val must not be negative, got -1", "--out", out, "--images", "5", "--val", "-1");
        assertError("give either --size or --width/--height, not both", "--out", out, "--images", "5", "--size", "64", "--width", "64");
        assertError("image size must be 32..4096 pixels a side, got 16x160", "--out", out, "--images", "5", "--width", "16");
        assertError("--max-objects must be 1..100, got 0", "--out", out, "--images", "5", "--max-objects", "0");
        assertTrue(Files.notExists(tmp.resolve("bad")), "nothing written");
    }

    private static void assertError(String message, String... args) {
        String[] all = Stream.concat(Stream.of("data", "synth"), Stream.of(args)).toArray(String[]::new);
        CliRun r = CliRun.of(all);
        assertEquals(2, r.code(), r.err());
        assertEquals("resdet data synth: " + message, r.err().strip());
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).count();
        }
    }
}
