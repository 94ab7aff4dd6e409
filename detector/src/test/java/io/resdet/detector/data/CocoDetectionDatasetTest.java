package io.resdet.detector.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CocoDetectionDatasetTest {
    /**
     * Categories out of order with gaps (5 cat, 2 dog, 90 zebra → labels dog 1, cat 2, zebra 3); images listed out of
     * id order; image 3 has a plain box, one crossing the right/bottom edge, one crossing the top-left, a zero-width
     * one and one wholly outside; image 7 a crowd and a full-image box (no iscrowd field); image 9 only a crowd;
     * image 11 nothing.
     */
    static final String GT = """
            {"info": {"year": 2024},
             "images": [
               {"id": 7, "file_name": "b.png", "width": 40, "height": 30},
               {"id": 3, "file_name": "a.png", "width": 50, "height": 40},
               {"id": 11, "file_name": "d.png", "width": 30, "height": 30},
               {"id": 9, "file_name": "c.png", "width": 20, "height": 20}],
             "annotations": [
               {"id": 1, "image_id": 3, "category_id": 5, "bbox": [1.5, 2, 10, 20], "area": 200, "iscrowd": 0, "segmentation": [[1,2,3,4,5,6]]},
               {"id": 2, "image_id": 3, "category_id": 2, "bbox": [45, 30, 10, 20], "area": 200, "iscrowd": 0},
               {"id": 3, "image_id": 3, "category_id": 90, "bbox": [-5, -3, 10, 8], "area": 80, "iscrowd": 0},
               {"id": 4, "image_id": 3, "category_id": 5, "bbox": [10, 10, 0, 5], "area": 0, "iscrowd": 0},
               {"id": 5, "image_id": 3, "category_id": 90, "bbox": [60, 10, 5, 5], "area": 25, "iscrowd": 0},
               {"id": 6, "image_id": 7, "category_id": 2, "bbox": [5, 5, 10, 10], "area": 100, "iscrowd": 1},
               {"id": 7, "image_id": 7, "category_id": 5, "bbox": [0, 0, 40, 30], "area": 1200},
               {"id": 8, "image_id": 9, "category_id": 2, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 1}],
             "categories": [{"id": 5, "name": "cat"}, {"id": 2, "name": "dog"}, {"id": 90, "name": "zebra"}]}
            """;

    @TempDir Path dir;
    Path gt, images;

    @BeforeEach
    void files() throws IOException {
        gt = dir.resolve("gt.json");
        images = dir.resolve("images");
        Files.writeString(gt, GT, StandardCharsets.UTF_8);
        DataFixtures.writePng(DataFixtures.tagged(50, 40, 1), images.resolve("a.png"));
        DataFixtures.writePng(DataFixtures.tagged(40, 30, 2), images.resolve("b.png"));
        DataFixtures.writePng(DataFixtures.tagged(20, 20, 3), images.resolve("c.png"));
        DataFixtures.writePng(DataFixtures.tagged(30, 30, 4), images.resolve("d.png"));
    }

    @Test
    void targetsAsTorchvisionTrainsOnThem() throws IOException {
        CocoDetectionDataset ds = CocoDetectionDataset.open(gt, images, false);
        assertEquals(4, ds.size());
        assertEquals(List.of("__background__", "dog", "cat", "zebra"), ds.classNames());
        assertEquals(2, ds.categoryId(1));
        assertEquals(5, ds.categoryId(2));
        assertEquals(90, ds.categoryId(3));
        assertThrows(IllegalArgumentException.class, () -> ds.categoryId(0));
        assertThrows(IllegalArgumentException.class, () -> ds.categoryId(4));

        DetectionSample a = ds.get(0);
        assertEquals("a.png", a.fileName());
        assertEquals(3, a.imageId());
        assertEquals(50, a.image().width());
        assertEquals(1, a.image().rgb()[2], "a.png's pixels");
        assertArrayEquals(new float[] {1.5f, 2, 11.5f, 22, 45, 30, 50, 40, 0, 0, 5, 5}, a.boxes());
        assertArrayEquals(new int[] {2, 1, 3}, a.labels());

        DetectionSample b = ds.get(1);
        assertEquals(7, b.imageId());
        assertArrayEquals(new float[] {0, 0, 40, 30}, b.boxes(), "crowd left out; missing iscrowd is a plain object");
        assertArrayEquals(new int[] {2}, b.labels());

        assertEquals(9, ds.get(2).imageId());
        assertEquals(0, ds.get(2).numBoxes(), "only a crowd");
        assertEquals(11, ds.get(3).imageId());
        assertEquals(0, ds.get(3).numBoxes());
        assertArrayEquals(new int[] {50, 40}, ds.imageSize(0));
        assertArrayEquals(new int[] {30, 30}, ds.imageSize(3));
        assertEquals("coco:" + gt + " (4 images, 3 classes)", ds.describe());
    }

    @Test
    void dropsImagesLeftWithoutBoxes() throws IOException {
        CocoDetectionDataset ds = CocoDetectionDataset.open(gt, images, true);
        assertEquals(2, ds.size());
        assertEquals(3, ds.get(0).imageId());
        assertEquals(7, ds.get(1).imageId());
        Files.delete(images.resolve("c.png"));
        assertEquals(2, CocoDetectionDataset.open(gt, images, true).size(), "dropped images need no file");
    }

    @Test
    void aMissingImageFileIsNamedWhenOpening() throws IOException {
        Files.delete(images.resolve("c.png"));
        IOException e = assertThrows(IOException.class, () -> CocoDetectionDataset.open(gt, images, false));
        assertEquals(images.resolve("c.png") + ": no such image file (image id 9 in " + gt + ")", e.getMessage());
    }

    @Test
    void anImageOfTheWrongSizeFailsOnDecoding() throws IOException {
        DataFixtures.writePng(DataFixtures.tagged(30, 50, 1), images.resolve("a.png"));
        CocoDetectionDataset ds = CocoDetectionDataset.open(gt, images, false);
        IOException e = assertThrows(IOException.class, () -> ds.get(0));
        assertEquals(images.resolve("a.png") + ": image is 30x50 but annotated as 50x40", e.getMessage());
    }

    @Test
    void malformedFilesAreOneLineErrorsNamingFileAndField() throws IOException {
        assertError(GT.substring(0, 300), "malformed JSON at line");
        assertError(GT.replace("\"width\": 50, ", ""), "images[1] (id 3): missing field 'width'");
        assertError(GT.replace("\"file_name\": \"b.png\", ", ""), "images[0] (id 7): missing field 'file_name'");
        assertError(GT.replace("\"category_id\": 90, \"bbox\": [-5", "\"category_id\": 77, \"bbox\": [-5"),
                "annotations[2]: category_id 77 is not in 'categories'");
        assertError(GT.replace("\"image_id\": 9,", "\"image_id\": 12,"), "annotations[7]: image_id 12 is not in 'images'");
        assertError(GT.replace("[45, 30, 10, 20]", "[45, 30, 10]"), "annotations[1] (id 2): 'bbox' is not [x, y, width, height]");
        assertError(GT.replace("\"bbox\": [0, 0, 40, 30]", "\"bbox\": [0, \"a\", 40, 30]"), "annotations[6] (id 7): 'bbox' holds a non-number");
        assertError(GT.replace("{\"id\": 90, \"name\": \"zebra\"}", "{\"id\": 90}"), "categories[2] (id 90): missing field 'name'");
        assertError(GT.replace("\"id\": 90, \"name\"", "\"id\": 5, \"name\""), "category id 5 appears twice");
        assertError(GT.replace("\"categories\"", "\"cats\""), "no 'categories' array");
        assertError("[1, 2]", "the top level is not a JSON object");
        IOException e = assertThrows(IOException.class, () -> CocoDetectionDataset.open(dir.resolve("nope.json"), images, false));
        assertEquals(dir.resolve("nope.json") + ": no such annotation file", e.getMessage());
    }

    private void assertError(String json, String expected) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, json, StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> CocoDetectionDataset.open(bad, images, false), expected);
        assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
