package io.resdet.eval.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.resdet.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading COCO files: bad input ends in one line naming the file and the record. */
class CocoInputTest {
    @TempDir Path tmp;
    Path gtFile;

    @BeforeEach
    void writeGt() throws IOException {
        gtFile = tmp.resolve("gt.json");
        Files.writeString(gtFile, """
                {"info": {"x": [1, 2]}, "annotations": [
                  {"id": 5, "image_id": 10, "category_id": 3, "bbox": [0, 0, 10, 20], "area": 150, "iscrowd": 0},
                  {"id": 6, "image_id": 11, "category_id": 1, "bbox": [1, 2, 3, 4], "iscrowd": 1}],
                 "images": [{"id": 11, "file_name": "b.jpg"}, {"id": 10, "width": 5}],
                 "categories": [{"id": 3, "name": "cat"}, {"id": 1, "name": "person", "supercategory": "x"}]}
                """);
    }

    private String error(String results) throws IOException {
        Path dt = tmp.resolve("dt.json");
        Files.writeString(dt, results);
        CocoGroundTruth gt = CocoGroundTruth.read(gtFile);
        EvalInputException e = assertThrows(EvalInputException.class, () -> CocoDetections.read(dt, gt));
        assertTrue(e.getMessage().startsWith(dt.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        return e.getMessage();
    }

    @Test
    void readsGroundTruthInAnyFieldOrder() {
        CocoGroundTruth gt = CocoGroundTruth.read(gtFile);
        assertEquals(2, gt.numImages());
        assertEquals(2, gt.numAnnotations());
        assertEquals(1, gt.categoryIds()[0]);
        assertEquals("person", gt.categoryNames()[0]);
        assertEquals(150, gt.area[0], 0);
        assertEquals(12, gt.area[1], 0, "missing area falls back to w*h");
        assertTrue(gt.crowd[1]);
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws IOException {
        String m = error("[\n{\"image_id\": 10, \"category_id\": 3,, \"bbox\": [0,0,1,1], \"score\": 0.5}]");
        assertTrue(m.contains("malformed JSON at line 2"), m);
    }

    @Test
    void unknownImageIsAnError() throws IOException {
        String m = error("[{\"image_id\": 99, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 0.5}]");
        assertTrue(m.contains("results[0]") && m.contains("image_id 99"), m);
    }

    @Test
    void unknownCategoryIsAnError() throws IOException {
        String m = error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 0.5},"
                + "{\"image_id\": 10, \"category_id\": 2, \"bbox\": [0,0,1,1], \"score\": 0.5}]");
        assertTrue(m.contains("results[1]") && m.contains("category_id 2"), m);
    }

    @Test
    void nanAndNegativeScoresAreErrors() throws IOException {
        assertTrue(error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": NaN}]").contains("score is NaN"));
        assertTrue(error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": -0.1}]").contains("score is negative"));
    }

    @Test
    void negativeOrNanBoxSizesAreErrors() throws IOException {
        assertTrue(error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,-1,1], \"score\": 0.1}]").contains("width is negative"));
        assertTrue(error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,1,NaN], \"score\": 0.1}]").contains("bbox[3] is NaN"));
        assertTrue(error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,1], \"score\": 0.1}]").contains("expected 4"));
    }

    @Test
    void missingFieldsAndWrongShapeAreErrors() throws IOException {
        assertTrue(error("[{\"image_id\": 10, \"category_id\": 3, \"bbox\": [0,0,1,1]}]").contains("has no score"));
        assertTrue(error("{\"annotations\": []}").contains("COCO results list"));
        assertTrue(error("[{\"image_id\": \"a\", \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1}]").contains("must be an integer"));
    }

    @Test
    void emptyResultsAreAccepted() throws IOException {
        Path dt = tmp.resolve("dt.json");
        Files.writeString(dt, "[]");
        assertEquals(0, CocoDetections.read(dt, CocoGroundTruth.read(gtFile)).size());
    }

    @Test
    void groundTruthProblemsNameTheAnnotation() throws IOException {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"images\":[{\"id\":1}],\"categories\":[{\"id\":1}],\"annotations\":[{\"id\":4,\"image_id\":2,\"category_id\":1,\"bbox\":[0,0,1,1]}]}");
        EvalInputException e = assertThrows(EvalInputException.class, () -> CocoGroundTruth.read(bad));
        assertTrue(e.getMessage().contains("annotations[0]") && e.getMessage().contains("image_id 2"), e.getMessage());
        assertThrows(EvalInputException.class, () -> CocoGroundTruth.read(tmp.resolve("missing.json")));
        Files.writeString(bad, "{\"images\":[],\"annotations\":[]}");
        assertTrue(assertThrows(EvalInputException.class, () -> CocoGroundTruth.read(bad)).getMessage().contains("categories"));
    }

    /** A value nested 100,000 deep, in a field the reader skips: the nesting limit names the file and the byte. */
    private static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void deeplyNestedSkippedFieldIsOneLineNamingTheFile() throws IOException {
        Path bad = tmp.resolve("deep_gt.json");
        String head = "{\"info\": ";
        Files.writeString(bad, head + deep(100_000) + ", \"images\": [], \"annotations\": [], \"categories\": []}");
        EvalInputException e = assertThrows(EvalInputException.class, () -> CocoGroundTruth.read(bad));
        // the file's '{' is level 1 and info's first '[' level 2, so level 513 is 511 bytes past that first '['
        assertEquals(bad + ": nesting deeper than 512 at byte " + (head.length() + 511), e.getMessage());
        e = assertThrows(EvalInputException.class, () -> CocoImages.read(bad));
        assertEquals(bad + ": nesting deeper than 512 at byte " + (head.length() + 511), e.getMessage());

        Path dt = tmp.resolve("deep_dt.json");
        String rec = "[{\"image_id\": 10, \"extra\": ";
        Files.writeString(dt, rec + deep(100_000) + ", \"category_id\": 3, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}]");
        e = assertThrows(EvalInputException.class, () -> CocoDetections.read(dt, CocoGroundTruth.read(gtFile)));
        // the results list and its record are levels 1 and 2, so the field's first '[' is level 3
        assertEquals(dt + ": nesting deeper than 512 at byte " + (rec.length() + 510), e.getMessage());
    }
}
