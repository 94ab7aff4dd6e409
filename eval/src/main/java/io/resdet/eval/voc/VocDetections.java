package io.resdet.eval.voc;

import io.resdet.eval.EvalInputException;
import io.resdet.eval.util.GrowableDoubles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The detections of one class, in file order: image id, score and inclusive box
 * {@code [x1, y1, x2, y2]} (row {@code i} of {@code box} is {@code box[4i..4i+3]}).
 */
public record VocDetections(List<String> imageIds, double[] score, double[] box) {
    public int size() {
        return score.length;
    }

    public static VocDetections empty() {
        return new VocDetections(List.of(), new double[0], new double[0]);
    }

    /** Reads a devkit detection file: lines {@code image_id score x1 y1 x2 y2}; blank lines are skipped. */
    public static VocDetections read(Path file) {
        List<String> ids = new ArrayList<>();
        GrowableDoubles score = new GrowableDoubles(), box = new GrowableDoubles();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                String s = line.strip();
                if (s.isEmpty()) continue;
                String[] f = s.split("\\s+");
                if (f.length != 6) {
                    throw new EvalInputException(file + ":" + no + ": expected 6 fields 'image_id score x1 y1 x2 y2', found " + f.length);
                }
                ids.add(f[0]);
                double sc = parse(file, no, "score", f[1]);
                if (Double.isNaN(sc)) throw new EvalInputException(file + ":" + no + ": score is NaN");
                score.add(sc);
                for (int k = 0; k < 4; k++) box.add(parse(file, no, new String[] {"x1", "y1", "x2", "y2"}[k], f[2 + k]));
            }
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new VocDetections(List.copyOf(ids), score.toArray(), box.toArray());
    }

    private static double parse(Path file, int line, String field, String text) {
        try {
            double v = Double.parseDouble(text);
            if (Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new EvalInputException(file + ":" + line + ": " + field + " is not a number: '" + text + "'");
        }
    }
}
