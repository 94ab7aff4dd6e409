package io.resdet.eval.coco;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a COCO results file one detection at a time. This is the seam for running a detector over
 * a dataset ({@code eval run}): the detector streams its boxes here, then {@link CocoEval} reads the
 * file like any other results file.
 */
public final class CocoResultsWriter implements Closeable {
    private final BufferedWriter w;
    private boolean first = true;

    public CocoResultsWriter(Path file) {
        try {
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.write("[");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** One detection; box is {@code [x, y, w, h]} in pixels. Coordinates keep 2 decimals, scores 5, like typical result files. */
    public void add(long imageId, long categoryId, double x, double y, double width, double height, double score) {
        try {
            w.write(first ? "\n{\"image_id\":" : ",\n{\"image_id\":");
            first = false;
            w.write(Long.toString(imageId));
            w.write(",\"category_id\":");
            w.write(Long.toString(categoryId));
            w.write(",\"bbox\":[");
            w.write(num(x, 100));
            w.write(',');
            w.write(num(y, 100));
            w.write(',');
            w.write(num(width, 100));
            w.write(',');
            w.write(num(height, 100));
            w.write("],\"score\":");
            w.write(num(score, 100000));
            w.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String num(double v, double scale) {
        double r = Math.round(v * scale) / scale;
        return r == Math.rint(r) && Math.abs(r) < 1e15 ? Long.toString((long) r) : Double.toString(r);
    }

    @Override
    public void close() {
        try {
            w.write("\n]\n");
            w.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
