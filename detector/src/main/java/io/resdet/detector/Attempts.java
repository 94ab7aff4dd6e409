package io.resdet.detector;

import io.resdet.image.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Detection that keeps one image's failure to itself. Some valid images cannot go through the network at all: a
 * 3000x2 frame resizes to a height of 0 or 1 pixels and the stem's 7x7 convolution refuses it (torchvision fails the
 * same way). Batched, one such image would fail its whole batch; so a failed batch is retried image by image, and
 * only the images that fail alone are reported as failed.
 */
public final class Attempts {
    private Attempts() {}

    /** One image's detections, or why the detector failed on it ({@code error} non-null). */
    public record Attempt(List<Detection> detections, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public static List<Attempt> detectEach(Function<List<RgbImage>, List<List<Detection>>> detect, List<RgbImage> images) {
        List<Attempt> out = new ArrayList<>();
        try {
            for (List<Detection> d : detect.apply(images)) out.add(new Attempt(d, null));
            return out;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (images.size() == 1) return List.of(new Attempt(null, message(e)));
        }
        for (RgbImage im : images) {
            try {
                out.add(new Attempt(detect.apply(List.of(im)).get(0), null));
            } catch (RuntimeException | OutOfMemoryError e) {
                out.add(new Attempt(null, message(e)));
            }
        }
        return out;
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
