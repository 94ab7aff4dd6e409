package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Stacks decoded images into one batch for the classifier. */
public final class ImageStack {
    private ImageStack() {}

    /** Stacks (C,H,W) arrays into (N,C,H,W); all must share one shape (the caller resized them). */
    public static NDArray stackSameShape(NDList images) {
        for (NDArray a : images) {
            if (!a.getShape().equals(images.get(0).getShape())) {
                throw new IllegalArgumentException("images of different sizes " + a.getShape() + " and "
                        + images.get(0).getShape() + " cannot form one batch without resizing (classify them one by one)");
            }
        }
        return ai.djl.ndarray.NDArrays.stack(images);
    }
}
