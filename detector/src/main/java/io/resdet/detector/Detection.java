package io.resdet.detector;

/** One detected object: box {@code (x1, y1, x2, y2)} in original image pixels, label id and name, score. */
public record Detection(float x1, float y1, float x2, float y2, int label, String name, float score) {
    public float[] box() {
        return new float[] {x1, y1, x2, y2};
    }
}
