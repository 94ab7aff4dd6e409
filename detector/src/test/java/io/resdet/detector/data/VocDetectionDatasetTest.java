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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocDetectionDatasetTest {
    @TempDir Path dir;
    Path voc07, voc12;

    @BeforeEach
    void trees() throws IOException {
        voc07 = dir.resolve("VOCdevkit").resolve("VOC2007");
        voc12 = dir.resolve("VOCdevkit").resolve("VOC2012");
        // chair (label 9) and dog (12); a difficult person (15); a one-pixel-wide bottle that has no width left
        annotation(voc07, "000005", 60, 40, object("chair", 0, 10, 5, 30, 25), object("person", 1, 2, 2, 20, 30),
                object("dog", 0, 50, 30, 60, 40), object("bottle", 0, 7, 7, 7, 20));
        annotation(voc07, "000007", 30, 20, object("tvmonitor", 0, 1, 1, 30, 20));
        imageSet(voc07, "trainval", "000005", "000007");
        DataFixtures.writePng(DataFixtures.tagged(60, 40, 5), voc07.resolve("JPEGImages").resolve("000005.png"));
        DataFixtures.writePng(DataFixtures.tagged(30, 20, 7), voc07.resolve("JPEGImages").resolve("000007.png"));
        Files.move(voc07.resolve("JPEGImages").resolve("000005.png"), voc07.resolve("JPEGImages").resolve("000005.jpg"));

        annotation(voc12, "2008_000008", 50, 50, object("horse", 0, 5, 6, 40, 45));
        imageSet(voc12, "trainval", "2008_000008");
        DataFixtures.writePng(DataFixtures.tagged(50, 50, 8), voc12.resolve("JPEGImages").resolve("2008_000008.png"));
    }

    @Test
    void standardClassesOneBasedBoxesAndDifficultObjects() throws IOException {
        VocDetectionDataset ds = VocDetectionDataset.open(voc07, "trainval", false);
        assertEquals(2, ds.size());
        assertEquals(21, ds.classNames().size());
        assertEquals(List.of("__background__", "aeroplane", "bicycle"), ds.classNames().subList(0, 3));
        assertEquals("tvmonitor", ds.classNames().get(20));
        assertEquals(9, ds.categoryId(9));

        DetectionSample a = ds.get(0);
        assertEquals("000005.jpg", a.fileName(), "a PNG named .jpg decodes by its bytes");
        assertEquals(5, a.imageId());
        assertEquals(5, a.image().rgb()[2]);
        assertArrayEquals(new float[] {9, 4, 29, 24, 49, 29, 59, 39}, a.boxes(), "1-based inclusive → minus one on all four");
        assertArrayEquals(new int[] {9, 12}, a.labels());
        assertArrayEquals(new int[] {60, 40}, ds.imageSize(0));

        DetectionSample b = ds.get(1);
        assertEquals("000007.png", b.fileName(), "the .png fallback");
        assertArrayEquals(new float[] {0, 0, 29, 19}, b.boxes());
        assertArrayEquals(new int[] {20}, b.labels());
        assertEquals("voc:" + voc07 + ":trainval (2 images, 20 classes)", ds.describe());

        DetectionSample hard = VocDetectionDataset.open(voc07, "trainval", true).get(0);
        assertArrayEquals(new float[] {9, 4, 29, 24, 1, 1, 19, 29, 49, 29, 59, 39}, hard.boxes());
        assertArrayEquals(new int[] {9, 15, 12}, hard.labels());
    }

    @Test
    void imageIdsFromTheVocIds() {
        assertEquals(5, VocDetectionDataset.imageId("000005", 0));
        assertEquals(2008000008L, VocDetectionDataset.imageId("2008_000008", 0));
        assertEquals(4, VocDetectionDataset.imageId("img_a", 3));
    }

    @Test
    void vocZeroSevenPlusTwelve() throws IOException {
        DetectionDataset ds = DetectionDatasets.open("voc:" + voc07 + ":trainval+voc:" + voc12 + ":trainval", true);
        assertEquals(3, ds.size());
        assertEquals(2008000008L, ds.get(2).imageId());
        assertArrayEquals(new float[] {4, 5, 39, 44}, ds.get(2).boxes());
        assertArrayEquals(new int[] {13}, ds.get(2).labels());
        assertArrayEquals(new int[] {50, 50}, ds.imageSize(2));
        assertArrayEquals(new int[] {30, 20}, ds.imageSize(1));
        assertEquals(7, ds.get(1).imageId());
        assertEquals(VocDetectionDataset.open(voc07, "trainval", false).classNames(), ds.classNames());
        assertEquals(20, ds.categoryId(20));
        assertEquals("voc:" + voc07 + ":trainval (2 images, 20 classes) + voc:" + voc12 + ":trainval (1 images, 20 classes) = 3 images",
                ds.describe());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.imageSize(3));
    }

    @Test
    void concatenationNeedsTheSameClasses() throws IOException {
        Path gt = DataFixtures.cocoSet(dir.resolve("coco"), new int[][] {{10, 10}});
        DetectionDataset coco = CocoDetectionDataset.open(gt, dir.resolve("coco").resolve("images"), false);
        DetectionDataset voc = VocDetectionDataset.open(voc07, "trainval", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConcatDetectionDataset.of(List.of(voc, coco)));
        assertTrue(e.getMessage().contains(voc.describe()) && e.getMessage().contains(coco.describe()), e.getMessage());
        IOException io = assertThrows(IOException.class, () -> DetectionDatasets.open("voc:" + voc07 + ":trainval+coco:" + gt + ":"
                + dir.resolve("coco").resolve("images"), true));
        assertTrue(io.getMessage().contains("different classes"), io.getMessage());
    }

    @Test
    void brokenTreesAreOneLineErrorsNamingTheFile() throws IOException {
        imageSet(voc07, "missing", "000009");
        IOException e = assertThrows(IOException.class, () -> VocDetectionDataset.open(voc07, "missing", false));
        assertEquals(voc07.resolve("Annotations").resolve("000009.xml") + ": no such annotation file", e.getMessage());

        e = assertThrows(IOException.class, () -> VocDetectionDataset.open(voc07, "test", false));
        assertEquals(voc07.resolve("ImageSets").resolve("Main").resolve("test.txt") + ": no such image set", e.getMessage());

        annotation(voc07, "000010", 20, 20, object("unicorn", 0, 1, 1, 5, 5));
        imageSet(voc07, "odd", "000010");
        e = assertThrows(IOException.class, () -> VocDetectionDataset.open(voc07, "odd", false));
        assertEquals(voc07.resolve("Annotations").resolve("000010.xml") + ": object #1: <name> 'unicorn' is not one of the 20 VOC classes",
                e.getMessage());

        annotation(voc07, "000011", 20, 20, object("cat", 0, 1, 1, 5, 5));
        imageSet(voc07, "nojpeg", "000011");
        e = assertThrows(IOException.class, () -> VocDetectionDataset.open(voc07, "nojpeg", false));
        assertEquals(voc07.resolve("JPEGImages").resolve("000011.jpg") + ": no such image file (listed in the image set)", e.getMessage());

        Files.writeString(voc07.resolve("Annotations").resolve("000011.xml"), "<annotation><size><width>20</width></size></annotation>");
        e = assertThrows(IOException.class, () -> VocDetectionDataset.open(voc07, "nojpeg", false));
        assertEquals(voc07.resolve("Annotations").resolve("000011.xml") + ": <size>: no <height>", e.getMessage());
    }

    private static String object(String name, int difficult, int x1, int y1, int x2, int y2) {
        return "<object><name>" + name + "</name><pose>Left</pose><truncated>0</truncated><difficult>" + difficult
                + "</difficult><bndbox><xmin>" + x1 + "</xmin><ymin>" + y1 + "</ymin><xmax>" + x2 + "</xmax><ymax>" + y2
                + "</ymax></bndbox></object>";
    }

    private static void annotation(Path root, String id, int w, int h, String... objects) throws IOException {
        Path xml = root.resolve("Annotations").resolve(id + ".xml");
        Files.createDirectories(xml.getParent());
        Files.writeString(xml, "<annotation><folder>VOC</folder><filename>" + id + ".jpg</filename><size><width>" + w + "</width><height>" + h
                + "</height><depth>3</depth></size><segmented>0</segmented>\n" + String.join("\n", objects) + "\n</annotation>\n",
                StandardCharsets.UTF_8);
    }

    private static void imageSet(Path root, String set, String... ids) throws IOException {
        Path f = root.resolve("ImageSets").resolve("Main").resolve(set + ".txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, String.join("\n", ids) + "\n", StandardCharsets.UTF_8);
    }
}
