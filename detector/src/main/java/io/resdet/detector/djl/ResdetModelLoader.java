package io.resdet.detector.djl;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import ai.djl.util.Progress;
import io.resdet.backbone.Classifier;
import io.resdet.backbone.ImageNetLabels;
import io.resdet.detector.Detector;
import io.resdet.detector.LabelMap;
import io.resdet.io.CheckpointException;
import io.resdet.models.ModelEntry;
import io.resdet.models.ModelStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads one {@link ModelEntry} for DJL: the weights from resdet's cache (or a verified download), the network built by
 * resdet ({@link Detector}, {@link Classifier}), wrapped in a {@link ZooModel} whose block runs it and whose
 * translator speaks DJL's {@link Image}, {@link DetectedObjects} and {@link Classifications}.
 */
final class ResdetModelLoader implements ModelLoader {
    private final ModelEntry entry;

    ResdetModelLoader(ModelEntry entry) {
        this.entry = entry;
    }

    @Override
    public String getGroupId() {
        return ResdetModelZoo.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return entry.name();
    }

    @Override
    public Application getApplication() {
        return entry.task().equals("detection") ? Application.CV.OBJECT_DETECTION : Application.CV.IMAGE_CLASSIFICATION;
    }

    @Override
    public MRL getMrl() {
        return null; // resdet's files are not in a DJL repository; ModelStore finds them
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria) throws IOException, ModelNotFoundException {
        boolean detection = entry.task().equals("detection");
        Class<?> want = detection ? DetectedObjects.class : Classifications.class;
        if (criteria.getInputClass() != Image.class || criteria.getOutputClass() != want) {
            throw new ModelNotFoundException(entry.name() + " takes Image and gives " + want.getSimpleName());
        }
        Path file = ModelStore.fromEnvironment(ModelStore.environment()).file(entry);
        String device = criteria.getDevice() == null ? null : criteria.getDevice().toString();
        Model model = Model.newInstance(entry.name(), criteria.getDevice(), "PyTorch");
        try {
            Translator<?, ?> translator;
            if (detection) {
                Detector.Builder b = Detector.builder().setWeights(file).optDevice(device);
                if (file != null) b.setArch(entry.arch()).optNumClasses(entry.numClasses()).optLabels(labels(entry));
                Detector d = b.build();
                model.setBlock(new ResdetBlock(d, null));
                translator = new DetectionTranslator(d.labels());
            } else {
                Classifier c = Classifier.builder().setArch(entry.arch()).setWeights(file).optNumClasses(entry.numClasses())
                        .optResizeSize(entry.resizeSize() > 0 ? entry.resizeSize() : 256).optDevice(device).build();
                model.setBlock(new ResdetBlock(null, c));
                translator = new ClassificationTranslator(entry.numClasses() == 1000 ? ImageNetLabels.names() : null);
            }
            ResdetBlock block = (ResdetBlock) model.getBlock();
            // DJL closes its Model, not what the block holds: resdet's network goes with the ZooModel.
            return new ZooModel<>(model, (Translator<I, O>) translator) {
                @Override
                public void close() {
                    super.close();
                    block.closeModel();
                }
            };
        } catch (CheckpointException | RuntimeException e) {
            model.close();
            throw new IOException(entry.name() + ": " + e.getMessage(), e);
        }
    }

    private static LabelMap labels(ModelEntry e) throws IOException {
        if (e.labels().contains(",")) return new LabelMap(e.name(), List.of(e.labels().split(",")));
        return LabelMap.parse(e.labels());
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return ModelStore.fromEnvironment(ModelStore.environment()).isCached(entry);
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) throws IOException {
        ModelStore.fromEnvironment(ModelStore.environment()).file(entry);
    }

    @Override
    public String toString() {
        return ResdetModelZoo.GROUP_ID + ":" + entry.name();
    }
}
