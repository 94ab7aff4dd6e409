package io.resdet.detector.djl;

import ai.djl.repository.zoo.ModelZoo;
import io.resdet.models.ModelEntry;
import io.resdet.models.ModelRegistry;

import java.io.IOException;
import java.util.Set;

/**
 * resdet's detectors and classifiers as a DJL model zoo, group {@value #GROUP_ID}: every {@link ModelRegistry} name is
 * an artifact id, so a DJL application loads them through {@code Criteria} like any zoo model:
 * <pre>{@code
 * Criteria<Image, DetectedObjects> c = Criteria.builder().setTypes(Image.class, DetectedObjects.class)
 *         .optGroupId("io.resdet").optArtifactId("fasterrcnn_resnet50_fpn.coco_v1").build();
 * try (ZooModel<Image, DetectedObjects> model = c.loadModel(); Predictor<Image, DetectedObjects> p = model.newPredictor()) {
 *     DetectedObjects found = p.predict(ImageFactory.getInstance().fromFile(Path.of("street.jpg")));
 * }
 * }</pre>
 */
public final class ResdetModelZoo extends ModelZoo {
    public static final String GROUP_ID = "io.resdet";

    public ResdetModelZoo() {
        ModelRegistry registry;
        try {
            registry = ModelRegistry.load(io.resdet.models.ModelStore.environment());
        } catch (IOException e) {
            registry = ModelRegistry.builtInOnly(); // a broken RESDET_MODEL_REGISTRY must not break DJL's zoo scan
        }
        for (ModelEntry e : registry.entries()) addModel(new ResdetModelLoader(e));
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }
}
