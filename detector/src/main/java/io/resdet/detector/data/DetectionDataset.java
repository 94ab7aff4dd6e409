package io.resdet.detector.data;

import java.io.IOException;
import java.util.List;

/**
 * Images with boxes for training or validation. Implementations hold every annotation in memory after opening and
 * decode an image only in {@link #get}; all methods are safe to call from several threads at once.
 */
public interface DetectionDataset {
    int size();

    /** Decodes image {@code index} and returns it with its targets; failures name the file. */
    DetectionSample get(int index) throws IOException;

    /** {@code {width, height}} of image {@code index} from the annotations, without decoding it. */
    int[] imageSize(int index);

    /** Index 0 is {@code "__background__"}, then the C class names: label i is {@code classNames().get(i)}. */
    List<String> classNames();

    /** The dataset's own category id for contiguous label {@code label} (1..C): COCO's id; VOC's is the label. */
    long categoryId(int label);

    /** A one-line description, e.g. {@code coco:/data/gt.json (1234 images, 3 classes)}. */
    String describe();
}
