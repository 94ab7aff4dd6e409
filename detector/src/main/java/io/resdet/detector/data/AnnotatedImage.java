package io.resdet.detector.data;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;

/** An image file and its targets as read from the annotations, before decoding. */
record AnnotatedImage(String fileName, Path file, long imageId, int width, int height, float[] boxes, int[] labels) {
    /**
     * Decodes the file. The size must be the annotated one: boxes were clamped to it and aspect-ratio groups were
     * formed from it, so a mismatch would silently train on wrong targets.
     */
    DetectionSample load() throws IOException {
        RgbImage im = Images.read(file);
        if (im.width() != width || im.height() != height) {
            throw new IOException(file + ": image is " + im.width() + "x" + im.height() + " but annotated as " + width + "x" + height);
        }
        return new DetectionSample(fileName, imageId, im, boxes, labels);
    }

    int[] size() {
        return new int[] {width, height};
    }
}
