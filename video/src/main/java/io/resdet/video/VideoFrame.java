package io.resdet.video;

import io.resdet.image.RgbImage;

/** One decoded frame: its index in the stream (0-based, counting every frame), time in microseconds, pixels. */
public record VideoFrame(int index, long timestampMicros, RgbImage image) {}
