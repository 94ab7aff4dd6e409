package io.resdet.eval.coco;

import io.resdet.eval.EvalInputException;
import java.nio.file.Path;

/**
 * A COCO results list held column-wise in primitive arrays (about 48 bytes per detection, so
 * 500k detections take ~24 MB). Rows keep file order, which decides how score ties are broken.
 */
public final class CocoDetections {
    final int n;
    final int[] image;
    final int[] category;
    final double[] x, y, w, h, score;

    /**
     * Validated columns; images and categories are indices into {@code gt}.
     *
     * @param source file name used in error messages
     */
    public CocoDetections(String source, CocoGroundTruth gt, long[] imageId, long[] categoryId,
                          double[] x, double[] y, double[] w, double[] h, double[] score) {
        this.n = imageId.length;
        this.image = new int[n];
        this.category = new int[n];
        for (int i = 0; i < n; i++) {
            int im = gt.imageIndexOf(imageId[i]);
            if (im < 0) throw bad(source, i, "image_id " + imageId[i] + " is not an image of the ground truth");
            int c = gt.categoryIndexOf(categoryId[i]);
            if (c < 0) throw bad(source, i, "category_id " + categoryId[i] + " is not a category of the ground truth");
            image[i] = im;
            category[i] = c;
            check(source, i, "score", score[i]);
            check(source, i, "bbox width", w[i]);
            check(source, i, "bbox height", h[i]);
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) throw bad(source, i, "bbox x/y must be finite numbers");
        }
        this.x = x;
        this.y = y;
        this.w = w;
        this.h = h;
        this.score = score;
    }

    private static void check(String source, int i, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw bad(source, i, field + " is " + v);
        if (v < 0) throw bad(source, i, field + " is negative (" + v + ")");
    }

    private static EvalInputException bad(String source, int i, String message) {
        return new EvalInputException(source + ": results[" + i + "]: " + message);
    }

    /** Reads a COCO results JSON file ({@code [{image_id, category_id, bbox, score}, ...]}), streaming. */
    public static CocoDetections read(Path path, CocoGroundTruth gt) {
        return CocoJsonReader.readDetections(path, gt);
    }

    public int size() {
        return n;
    }
}
