package io.resdet.eval.coco;

import io.resdet.eval.EvalInputException;
import io.resdet.eval.util.LongIndex;
import java.util.Arrays;

/**
 * COCO instances ground truth, column-wise: images and categories sorted by id (the order
 * pycocotools evaluates them in), annotations in file order with image and category as indices.
 */
public final class CocoGroundTruth {
    final long[] imageIds;
    final long[] categoryIds;
    final String[] categoryNames;
    final LongIndex imageIndex;
    final LongIndex categoryIndex;

    final int n;
    final long[] annId;
    final int[] annImage;
    final int[] annCategory;
    final double[] x, y, w, h, area;
    final boolean[] crowd;

    /**
     * Builds from raw columns; image and category ids of annotations are ids (not indices).
     *
     * @param source file name used in error messages
     */
    public CocoGroundTruth(String source, long[] imageIds, long[] categoryIds, String[] categoryNames,
                           long[] annId, long[] annImageId, long[] annCategoryId,
                           double[] x, double[] y, double[] w, double[] h, double[] area, boolean[] crowd) {
        this.imageIds = sortedUnique(source, "images", imageIds);
        long[] cats = sortedUnique(source, "categories", categoryIds);
        this.imageIndex = new LongIndex(this.imageIds);
        this.categoryIndex = new LongIndex(cats);
        this.categoryIds = cats;
        this.categoryNames = new String[cats.length];
        LongIndex given = new LongIndex(categoryIds.clone());
        for (int k = 0; k < cats.length; k++) {
            int at = given.indexOf(cats[k]);
            String name = categoryNames == null ? null : categoryNames[at];
            this.categoryNames[k] = name == null ? Long.toString(cats[k]) : name;
        }
        this.n = annId.length;
        this.annId = annId;
        this.annImage = new int[n];
        this.annCategory = new int[n];
        for (int i = 0; i < n; i++) {
            int im = imageIndex.indexOf(annImageId[i]);
            if (im < 0) {
                throw new EvalInputException(source + ": annotations[" + i + "] (id " + annId[i]
                        + "): image_id " + annImageId[i] + " is not in images");
            }
            int c = categoryIndex.indexOf(annCategoryId[i]);
            if (c < 0) {
                throw new EvalInputException(source + ": annotations[" + i + "] (id " + annId[i]
                        + "): category_id " + annCategoryId[i] + " is not in categories");
            }
            annImage[i] = im;
            annCategory[i] = c;
        }
        this.x = x;
        this.y = y;
        this.w = w;
        this.h = h;
        this.area = area;
        this.crowd = crowd;
    }

    private static long[] sortedUnique(String source, String what, long[] ids) {
        try {
            return LongIndex.sortedDistinct(ids);
        } catch (IllegalArgumentException e) {
            throw new EvalInputException(source + ": " + what + ": duplicate id " + e.getMessage());
        }
    }

    /** Reads a COCO instances JSON file (streaming). */
    public static CocoGroundTruth read(java.nio.file.Path path) {
        return CocoJsonReader.readGroundTruth(path);
    }

    public int numImages() {
        return imageIds.length;
    }

    public int numCategories() {
        return categoryIds.length;
    }

    public int numAnnotations() {
        return n;
    }

    /** Image ids, ascending. */
    public long[] imageIds() {
        return imageIds.clone();
    }

    /** Category ids, ascending (the category axis K of the result arrays). */
    public long[] categoryIds() {
        return categoryIds.clone();
    }

    /** Category names in {@link #categoryIds()} order (the id as text when a name is missing). */
    public String[] categoryNames() {
        return categoryNames.clone();
    }

    /** Position of an image id, -1 when absent. */
    public int imageIndexOf(long imageId) {
        return imageIndex.indexOf(imageId);
    }

    /** Position of a category id, -1 when absent. */
    public int categoryIndexOf(long categoryId) {
        return categoryIndex.indexOf(categoryId);
    }

    @Override
    public String toString() {
        return "CocoGroundTruth[" + imageIds.length + " images, " + categoryIds.length + " categories, " + n
                + " annotations, ids " + Arrays.toString(Arrays.copyOf(categoryIds, Math.min(5, categoryIds.length))) + "...]";
    }
}
