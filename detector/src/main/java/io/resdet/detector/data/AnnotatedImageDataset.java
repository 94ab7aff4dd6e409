package io.resdet.detector.data;

import java.io.IOException;
import java.util.List;

/** A dataset whose annotations were read up front: images are decoded on {@link #get}, sizes come from the annotations. */
abstract class AnnotatedImageDataset implements DetectionDataset {
    protected final List<String> names;
    protected final AnnotatedImage[] images;

    AnnotatedImageDataset(List<String> names, AnnotatedImage[] images) {
        this.names = names;
        this.images = images;
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public DetectionSample get(int index) throws IOException {
        return images[index].load();
    }

    @Override
    public int[] imageSize(int index) {
        return images[index].size();
    }

    @Override
    public List<String> classNames() {
        return names;
    }
}
