package io.resdet.detector;

import ai.djl.ndarray.NDArray;

/** One image's training target, torchvision's {@code {"boxes": (K, 4) float32 x1y1x2y2, "labels": (K) int64}}. */
public record DetectionTarget(NDArray boxes, NDArray labels) {}
