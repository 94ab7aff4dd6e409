package io.resdet.streamservice;

import java.io.IOException;

/**
 * Where {@code produce} gets frames: encoded images in capture order ({@link SyntheticSource},
 * {@link ImageFolderSource}, {@link VideoSource} for video files, {@link LiveSource} for streams and cameras).
 */
public interface FrameSource extends AutoCloseable {
    /** One encoded frame: bytes and MIME type ({@code image/jpeg} or {@code image/png}). */
    record Frame(byte[] bytes, String contentType) {}

    /** The next frame, or null at the end. */
    Frame next() throws IOException;

    /** Frames this source will give, or -1 if unbounded/unknown. */
    default long size() {
        return -1;
    }

    @Override
    default void close() throws IOException {}
}
