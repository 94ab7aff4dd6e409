package io.resdet.streamservice;

/** Topic and header names shared by {@code produce}, {@code serve} and {@code consume}, so they meet with no flags. */
public final class Topics {
    private Topics() {}

    public static final String FRAMES = "resdet.frames";
    public static final String RESULTS = "resdet.detections";
    public static final String DEAD_LETTERS = "resdet.frames.dlq";
    public static final String GROUP = "resdet-stream";

    /** Frame headers: index within its stream (decimal), capture time (epoch ms, decimal), MIME type. */
    public static final String H_FRAME = "resdet.frame";
    public static final String H_CAPTURE_TS = "resdet.capture-ts";
    public static final String H_CONTENT_TYPE = "content-type";
    /** Optional frame header that the service copies onto the frame's result: what the frame is to its sender. */
    public static final String H_IMAGE_ID = "resdet.image-id";
    /** Dead-letter headers: why the frame was rejected, and where it came from. */
    public static final String H_ERROR = "resdet.error";
    public static final String H_ERROR_KIND = "resdet.error-kind";
    public static final String H_SOURCE = "resdet.source";
    /** On a dead letter too large to carry its frame: the frame's size in bytes (the frame itself is not attached). */
    public static final String H_PAYLOAD_DROPPED = "resdet.payload-dropped";
    /** On a dead letter stripped of the frame's own headers: how many there were. */
    public static final String H_HEADERS_DROPPED = "resdet.headers-dropped";

    /** v2 = v1 + optional tracking fields ({@code track_id}, {@code zones}, {@code lines}); v1 readers still read it. */
    public static final String SCHEMA = "resdet.detections/v2";
    public static final String CE_TYPE = "io.resdet.detections.v2";
    public static final String DATASCHEMA = "https://resdet.io/schemas/resdet-detections-v2.schema.json";
}
