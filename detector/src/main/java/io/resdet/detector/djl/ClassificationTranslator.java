package io.resdet.detector.djl;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.util.ArrayList;
import java.util.List;

/** DJL {@link Image} in, {@link Classifications} (softmax probabilities, class names when known) out. */
final class ClassificationTranslator implements NoBatchifyTranslator<Image, Classifications> {
    private final List<String> names;

    ClassificationTranslator(List<String> names) {
        this.names = names;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList out) {
        NDArray probs = out.singletonOrThrow().softmax(0);
        List<String> classes = names;
        if (classes == null) {
            classes = new ArrayList<>();
            for (int i = 0; i < probs.getShape().get(0); i++) classes.add(Integer.toString(i));
        }
        return new Classifications(classes, probs);
    }
}
