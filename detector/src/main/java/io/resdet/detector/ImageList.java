package io.resdet.detector;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * torchvision's {@code ImageList}: a padded batch (N, 3, H, W) and each image's size after resizing but
 * before padding, as {@code {height, width}}.
 */
public record ImageList(NDArray tensors, List<long[]> imageSizes) {
    public long paddedHeight() {
        return tensors.getShape().get(2);
    }

    public long paddedWidth() {
        return tensors.getShape().get(3);
    }
}
