package io.resdet.detector.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO instances file and its image folder, with the targets torchvision's detection reference trains on
 * ({@code coco_utils.ConvertCocoPolysToMask}): crowd annotations are not targets; {@code bbox [x, y, w, h]} becomes
 * {@code [x, y, x + w, y + h]} (in float32, as torchvision), clamped to the image; boxes with {@code x2 <= x1} or
 * {@code y2 <= y1} after clamping are dropped. Images come in ascending id order (torchvision's
 * {@code CocoDetection}).
 *
 * <p>Labels are contiguous: the categories sorted by id become labels 1..C, named by their {@code name};
 * {@link #categoryId} maps back for results files. (torchvision trains on the raw ids with 91 outputs instead.)
 *
 * <p>{@code dropImagesWithoutBoxes} drops images left with no target box. torchvision's training filter
 * ({@code _coco_remove_images_without_annotations}) differs at the edges: it keeps an image whose only annotations
 * are crowds, and drops one whose boxes are all at most 1 px wide or high.
 *
 * <p>A missing {@code iscrowd} reads as 0. Every image file is checked for existence when opening, so a missing
 * file fails at once rather than hours into training.
 */
public final class CocoDetectionDataset extends AnnotatedImageDataset {
    private final Path annotationJson;
    private final long[] categoryIds;

    private CocoDetectionDataset(Path annotationJson, List<String> names, long[] categoryIds, AnnotatedImage[] images) {
        super(names, images);
        this.annotationJson = annotationJson;
        this.categoryIds = categoryIds;
    }

    public static CocoDetectionDataset open(Path annotationJson, Path imagesDir, boolean dropImagesWithoutBoxes) throws IOException {
        CocoAnnotationReader.Contents c = CocoAnnotationReader.read(annotationJson);
        if (!Files.isDirectory(imagesDir)) throw new IOException(imagesDir + ": no such image folder (for " + annotationJson + ")");

        List<CocoAnnotationReader.Category> cats = new ArrayList<>(c.categories());
        cats.sort(Comparator.comparingLong(CocoAnnotationReader.Category::id));
        long[] catIds = new long[cats.size()];
        List<String> names = new ArrayList<>();
        names.add("__background__");
        Map<Long, Integer> labelOf = new HashMap<>();
        for (int i = 0; i < cats.size(); i++) {
            catIds[i] = cats.get(i).id();
            if (labelOf.put(catIds[i], i + 1) != null) throw new IOException(annotationJson + ": category id " + catIds[i] + " appears twice");
            names.add(cats.get(i).name());
        }

        Map<Long, Integer> slot = new HashMap<>();
        List<CocoAnnotationReader.Image> imgs = c.images();
        for (int i = 0; i < imgs.size(); i++) {
            if (slot.put(imgs.get(i).id(), i) != null) throw new IOException(annotationJson + ": image id " + imgs.get(i).id() + " appears twice");
        }
        Targets[] targets = new Targets[imgs.size()];
        for (int i = 0; i < targets.length; i++) targets[i] = new Targets();
        List<CocoAnnotationReader.Annotation> anns = c.annotations();
        for (int k = 0; k < anns.size(); k++) {
            CocoAnnotationReader.Annotation a = anns.get(k);
            Integer s = slot.get(a.imageId());
            if (s == null) throw new IOException(annotationJson + ": annotations[" + k + "]: image_id " + a.imageId() + " is not in 'images'");
            Integer label = labelOf.get(a.categoryId());
            if (label == null) {
                throw new IOException(annotationJson + ": annotations[" + k + "]: category_id " + a.categoryId() + " is not in 'categories'");
            }
            if (a.crowd()) continue;
            CocoAnnotationReader.Image im = imgs.get(s);
            float x1 = (float) a.x(), y1 = (float) a.y();
            float x2 = x1 + (float) a.w(), y2 = y1 + (float) a.h();
            x1 = clamp(x1, im.width());
            x2 = clamp(x2, im.width());
            y1 = clamp(y1, im.height());
            y2 = clamp(y2, im.height());
            if (x2 > x1 && y2 > y1) targets[s].add(x1, y1, x2, y2, label);
        }

        Integer[] order = new Integer[imgs.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingLong(i -> imgs.get(i).id()));
        List<AnnotatedImage> kept = new ArrayList<>();
        for (int i : order) {
            if (dropImagesWithoutBoxes && targets[i].labels.isEmpty()) continue;
            CocoAnnotationReader.Image im = imgs.get(i);
            Path file = imagesDir.resolve(im.fileName());
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": no such image file (image id " + im.id() + " in " + annotationJson + ")");
            }
            kept.add(new AnnotatedImage(im.fileName(), file, im.id(), im.width(), im.height(), targets[i].boxes(), targets[i].labels()));
        }
        return new CocoDetectionDataset(annotationJson, List.copyOf(names), catIds, kept.toArray(AnnotatedImage[]::new));
    }

    private static float clamp(float v, int max) {
        return Math.min(Math.max(v, 0f), (float) max);
    }

    @Override
    public long categoryId(int label) {
        if (label < 1 || label > categoryIds.length) throw new IllegalArgumentException("label " + label + " is not in 1.." + categoryIds.length);
        return categoryIds[label - 1];
    }

    @Override
    public String describe() {
        return "coco:" + annotationJson + " (" + images.length + " images, " + categoryIds.length + " classes)";
    }

    /** Boxes and labels of one image as they are collected. */
    private static final class Targets {
        private final List<float[]> boxes = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();

        void add(float x1, float y1, float x2, float y2, int label) {
            boxes.add(new float[] {x1, y1, x2, y2});
            labels.add(label);
        }

        float[] boxes() {
            float[] out = new float[boxes.size() * 4];
            for (int i = 0; i < boxes.size(); i++) System.arraycopy(boxes.get(i), 0, out, 4 * i, 4);
            return out;
        }

        int[] labels() {
            return labels.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
