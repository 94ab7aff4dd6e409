package io.resdet.detector.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several datasets with the same classes, one after another (VOC 2007 trainval + 2012 trainval). Image ids are the
 * parts' own and may repeat across parts; use the index or {@code fileName} where uniqueness matters.
 */
public final class ConcatDetectionDataset implements DetectionDataset {
    private final List<DetectionDataset> parts;
    private final int[] starts;

    private ConcatDetectionDataset(List<DetectionDataset> parts) {
        this.parts = parts;
        starts = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) starts[i + 1] = Math.addExact(starts[i], parts.get(i).size());
    }

    /** Requires at least one part and the same class names and category ids in every part. */
    public static ConcatDetectionDataset of(List<DetectionDataset> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to concatenate");
        DetectionDataset first = parts.get(0);
        for (DetectionDataset p : parts.subList(1, parts.size())) {
            if (!p.classNames().equals(first.classNames())) {
                throw new IllegalArgumentException("different classes: " + first.describe() + " has " + first.classNames().subList(1, first.classNames().size())
                        + ", " + p.describe() + " has " + p.classNames().subList(1, p.classNames().size()));
            }
            for (int label = 1; label < first.classNames().size(); label++) {
                if (p.categoryId(label) != first.categoryId(label)) {
                    throw new IllegalArgumentException("different category ids for '" + first.classNames().get(label) + "': "
                            + first.categoryId(label) + " in " + first.describe() + ", " + p.categoryId(label) + " in " + p.describe());
                }
            }
        }
        return new ConcatDetectionDataset(List.copyOf(parts));
    }

    public List<DetectionDataset> parts() {
        return parts;
    }

    @Override
    public int size() {
        return starts[starts.length - 1];
    }

    @Override
    public DetectionSample get(int index) throws IOException {
        int p = part(index);
        return parts.get(p).get(index - starts[p]);
    }

    @Override
    public int[] imageSize(int index) {
        int p = part(index);
        return parts.get(p).imageSize(index - starts[p]);
    }

    @Override
    public List<String> classNames() {
        return parts.get(0).classNames();
    }

    @Override
    public long categoryId(int label) {
        return parts.get(0).categoryId(label);
    }

    @Override
    public String describe() {
        return parts.stream().map(DetectionDataset::describe).collect(Collectors.joining(" + "))
                + " = " + size() + " images";
    }

    private int part(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("image " + index + " of " + size());
        int i = Arrays.binarySearch(starts, index);
        // an exact hit on a start can belong to an empty part; move on to the part that holds the image
        if (i >= 0) {
            while (starts[i + 1] == index) i++;
            return i;
        }
        return -i - 2;
    }
}
