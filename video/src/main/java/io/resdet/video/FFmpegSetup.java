package io.resdet.video;

import org.bytedeco.ffmpeg.global.avutil;

/** Process-wide FFmpeg settings, applied once before the first grabber or recorder. */
final class FFmpegSetup {
    private static volatile boolean done;

    private FFmpegSetup() {}

    static synchronized void once() {
        if (done) return;
        // FFmpeg's own log goes straight to the process stderr; a corrupt file would print a dozen lines
        // there before our one-line error. -Dresdet.debug=true keeps them for diagnosis.
        avutil.av_log_set_level(Boolean.getBoolean("resdet.debug") ? avutil.AV_LOG_WARNING : avutil.AV_LOG_QUIET);
        done = true;
    }
}
