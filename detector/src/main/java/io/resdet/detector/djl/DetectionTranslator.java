package io.resdet.detector.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.resdet.detector.LabelMap;

import java.util.ArrayList;
import java.util.List;

/** DJL {@link Image} in, {@link DetectedObjects} out, best first; DJL boxes are fractions of the image size. */
final class DetectionTranslator implements NoBatchifyTranslator<Image, DetectedObjects> {
    private final LabelMap labels;

    DetectionTranslator(LabelMap labels) {
        this.labels = labels;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        ctx.setAttachment("size", new int[] {input.getWidth(), input.getHeight()});
        return new NDList(input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR));
    }

    @Override
    public DetectedObjects processOutput(TranslatorContext ctx, NDList out) {
        int[] size = (int[]) ctx.getAttachment("size");
        float[] boxes = out.get(0).toFloatArray(), scores = out.get(1).toFloatArray();
        long[] ids = out.get(2).toLongArray();
        List<String> names = new ArrayList<>();
        List<Double> probs = new ArrayList<>();
        List<BoundingBox> rects = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            names.add(labels.name((int) ids[i]));
            probs.add((double) scores[i]);
            double x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
            rects.add(new Rectangle(x1 / size[0], y1 / size[1], (x2 - x1) / size[0], (y2 - y1) / size[1]));
        }
        return new DetectedObjects(names, probs, rects);
    }
}
