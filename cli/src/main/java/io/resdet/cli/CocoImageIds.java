package io.resdet.cli;

import java.nio.file.Path;

/**
 * COCO image ids for detect's results file: the file name's stem when it is an integer (COCO's own
 * {@code 000000397133.jpg} naming), else the image's 1-based position in the run. Positions count every
 * image and every processed video frame in input order, failed ones included, so one broken file does not
 * renumber the rest.
 */
final class CocoImageIds {
    private long position;

    /** The id for the next image; call once per image or frame, in order. */
    long next(Path file, boolean videoFrame) {
        position++;
        if (!videoFrame) {
            String stem = DetectInputs.stem(file);
            if (stem.matches("\\d{1,18}")) return Long.parseLong(stem);
        }
        return position;
    }

    /** Counts images that failed before they got an id. */
    void skip() {
        position++;
    }
}
