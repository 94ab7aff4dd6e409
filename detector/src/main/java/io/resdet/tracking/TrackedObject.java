package io.resdet.tracking;

/**
 * A detection that a confirmed, currently tracked track claimed in this frame. {@code detection} is the index into
 * the frame's input list; {@code box} is the track's Kalman estimate after the update ({@code x1, y1, x2, y2}).
 */
public record TrackedObject(int trackId, int detection, int label, float score, double[] box) {}
