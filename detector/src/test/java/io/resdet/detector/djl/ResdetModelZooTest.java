package io.resdet.detector.djl;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import io.resdet.backbone.Classifier;
import io.resdet.backbone.ResNets;
import io.resdet.detector.Detection;
import io.resdet.detector.Detector;
import io.resdet.detector.data.ShapesVideo;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.resdet.nn.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DJL application loads resdet's models through {@code Criteria} (the zoo is found by ServiceLoader) and gets what
 * resdet's own API gives: the bundled detector's boxes, labels and scores; a classifier's probabilities.
 */
class ResdetModelZooTest {
    @TempDir static Path home;
    static BufferedImage picture;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("RESDET_HOME", home.toString());
        RgbImage frame = new ShapesVideo(320, 240, 3, 4, 11).frame(5).image();
        picture = Images.toBufferedImage(frame);
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty("RESDET_HOME");
    }

    @Test
    void theZooIsRegistered() {
        assertTrue(ModelZoo.hasModelZoo(ResdetModelZoo.GROUP_ID));
        assertTrue(ModelZoo.getModelZoo(ResdetModelZoo.GROUP_ID).getModelLoader("fasterrcnn_resnet50_fpn.coco_v1") != null);
    }

    @Test
    void detectorThroughCriteriaGivesResdetsDetections() throws Exception {
        Criteria<Image, DetectedObjects> c = Criteria.builder().setTypes(Image.class, DetectedObjects.class)
                .optGroupId(ResdetModelZoo.GROUP_ID).optArtifactId("resdet-shapes").build();
        DetectedObjects got;
        try (ZooModel<Image, DetectedObjects> model = c.loadModel(); Predictor<Image, DetectedObjects> p = model.newPredictor()) {
            got = p.predict(ImageFactory.getInstance().fromImage(picture));
        }
        List<Detection> want;
        try (Detector d = Detector.builder().build()) {
            want = d.detect(Images.toRgb(picture));
        }
        assertTrue(want.size() > 0, "the bundled model finds shapes");
        assertEquals(want.size(), got.getNumberOfObjects());
        for (int i = 0; i < want.size(); i++) {
            DetectedObjects.DetectedObject o = got.item(i);
            assertEquals(want.get(i).name(), o.getClassName());
            assertEquals(want.get(i).score(), o.getProbability(), 1e-6);
            BoundingBox b = o.getBoundingBox();
            assertEquals(want.get(i).x1(), b.getBounds().getX() * 320, 1e-3);
            assertEquals(want.get(i).y1(), b.getBounds().getY() * 240, 1e-3);
            assertEquals(want.get(i).x2() - want.get(i).x1(), b.getBounds().getWidth() * 320, 1e-3);
        }
    }

    @Test
    void classifierThroughCriteriaGivesResdetsProbabilities() throws Exception {
        // A cached file under torchvision's name is used as it is (no download): seeded random ResNet-18 weights.
        Path file = Files.createDirectories(home.resolve("models")).resolve("resnet18-f37072fd.pth");
        try (NDManager m = NDManager.newBaseManager()) {
            Weights.exportSafetensors(ResNets.builder().setArch("resnet18").build(m), file, Map.of());
        }
        Criteria<Image, Classifications> c = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optGroupId(ResdetModelZoo.GROUP_ID).optArtifactId("resnet18.imagenet1k_v1").build();
        Classifications got;
        try (ZooModel<Image, Classifications> model = c.loadModel(); Predictor<Image, Classifications> p = model.newPredictor()) {
            got = p.predict(ImageFactory.getInstance().fromImage(picture));
        }
        float[] logits;
        try (Classifier cl = Classifier.builder().setArch("resnet18").setWeights(file).build()) {
            logits = cl.logits(List.of(Images.toRgb(picture))).get(0);
        }
        int best = Classifier.topK(logits, 1)[0];
        assertEquals(io.resdet.backbone.ImageNetLabels.name(best), got.best().getClassName());
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : logits) max = Math.max(max, v);
        for (float v : logits) sum += Math.exp(v - max);
        assertEquals(1 / sum, got.best().getProbability(), 1e-5, "softmax of resdet's logits");
    }

    @Test
    void wrongTypesAreNotFound() {
        Criteria<Image, Classifications> c = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optGroupId(ResdetModelZoo.GROUP_ID).optArtifactId("resdet-shapes").build();
        assertThrows(ModelNotFoundException.class, c::loadModel);
    }
}
