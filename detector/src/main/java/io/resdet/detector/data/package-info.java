/**
 * Training data for Faster R-CNN: datasets (COCO, PASCAL VOC, their concatenation, and the generated shapes set),
 * the batch loader (shuffling, aspect-ratio grouping, flips, worker threads) and the shapes generator. Boxes are
 * {@code x1, y1, x2, y2} in the image's pixels; labels are contiguous, 1..C, with 0 the background.
 */
package io.resdet.detector.data;
