package io.resdet.detector.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec strings command lines pass; the synth folder and VOC 07+12 forms are covered with their datasets. */
class DetectionDatasetsTest {
    @TempDir Path dir;

    @Test
    void cocoSpecTrainDropsImagesWithoutBoxesValKeepsThem() throws IOException {
        Path gt = DataFixtures.cocoSet(dir, new int[][] {{10, 10}, {12, 10}});
        // image 2 loses its box: a zero-width bbox
        Files.writeString(gt, Files.readString(gt).replace("\"bbox\":[0,0,6,10]", "\"bbox\":[0,0,0,10]"));
        String spec = "coco:" + gt + ":" + dir.resolve("images");
        assertEquals(1, DetectionDatasets.open(spec, true).size());
        assertEquals(2, DetectionDatasets.open(spec, false).size());
        assertEquals("coco:" + gt + " (2 images, 1 classes)", DetectionDatasets.open(spec, false).describe());
    }

    @Test
    void badSpecsAreOneLineErrorsNamingWhatIsWrong() {
        assertMessage("coco:" + dir.resolve("gt.json"), "dataset spec 'coco:" + dir.resolve("gt.json") + "': expected coco:GT.json:IMAGES_DIR");
        assertMessage("coco:" + dir.resolve("gt.json") + ":" + dir, dir.resolve("gt.json") + ": no such annotation file");
        assertMessage("voc:" + dir, "dataset spec 'voc:" + dir + "': expected voc:ROOT:SET");
        assertMessage("voc:" + dir + ":trainval", dir.resolve("ImageSets").resolve("Main").resolve("trainval.txt") + ": no such image set");
        assertMessage(dir.resolve("nope").toString(), "dataset spec '" + dir.resolve("nope") + "': no such folder; expected DIR");
        assertMessage(dir.toString(), dir.resolve("annotations").resolve("instances_train.json") + ": no such annotation file (is " + dir
                + " a 'resdet data synth' folder?)");
        assertMessage("voc:a:b+", "an empty part");
        assertMessage(" ", "empty dataset spec");
    }

    private static void assertMessage(String spec, String expected) {
        IOException e = assertThrows(IOException.class, () -> DetectionDatasets.open(spec, true), spec);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
