package io.resdet.streamservice;

import io.resdet.detector.Detection;
import io.resdet.image.RgbImage;

import java.util.List;

/** What the service detects with: a batch of frames in, detections per frame out. Must be thread-safe. */
public interface FrameDetector extends AutoCloseable {
    List<List<Detection>> detect(List<RgbImage> frames);

    /** Names the model in every result ({@code "model"}). */
    String modelName();

    @Override
    default void close() {}
}
