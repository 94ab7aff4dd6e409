package io.resdet.eval.mot;

import io.resdet.eval.EvalInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A MOTChallenge text file: one box a line, {@code frame,id,x,y,w,h,conf[,...]} (comma or whitespace separated;
 * frames from 1; x, y the top-left corner; further columns such as class and visibility are read past). Blank
 * lines are skipped. For ground truth, rows with conf 0 are MOTChallenge's "ignore" marks and are left out, as in
 * TrackEval. An id may appear only once per frame.
 */
public final class MotFile {
    /** One box of a frame. */
    public record Box(int id, double x, double y, double w, double h, double conf) {}

    private final Map<Integer, List<Box>> frames;

    private MotFile(Map<Integer, List<Box>> frames) {
        this.frames = frames;
    }

    public static MotFile of(Map<Integer, List<Box>> frames) {
        return new MotFile(new TreeMap<>(frames));
    }

    /** Boxes by frame, frames ascending. */
    public Map<Integer, List<Box>> frames() {
        return Collections.unmodifiableMap(frames);
    }

    public List<Box> frame(int f) {
        return frames.getOrDefault(f, List.of());
    }

    public static MotFile read(Path file, boolean groundTruth) {
        Map<Integer, List<Box>> frames = new TreeMap<>();
        Set<Long> seen = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                String s = line.strip();
                if (s.isEmpty()) continue;
                String[] f = s.split("\\s*,\\s*|\\s+");
                String where = file + ":" + n + ": ";
                if (f.length < 7) throw new EvalInputException(where + "expected frame,id,x,y,w,h,conf, got " + f.length + " field" + (f.length == 1 ? "" : "s"));
                int frame = integer(f[0], where, "frame"), id = integer(f[1], where, "id");
                if (frame < 1) throw new EvalInputException(where + "frame must be 1 or more, got " + f[0]);
                double x = number(f[2], where, "x"), y = number(f[3], where, "y"), w = number(f[4], where, "w"), h = number(f[5], where, "h");
                double conf = number(f[6], where, "conf");
                if (w < 0 || h < 0) throw new EvalInputException(where + "negative box size " + f[4] + "x" + f[5]);
                if (groundTruth && conf == 0) continue;
                if (!seen.add(((long) frame << 32) | (id & 0xffffffffL))) {
                    throw new EvalInputException(where + "id " + id + " appears twice in frame " + frame);
                }
                frames.computeIfAbsent(frame, k -> new ArrayList<>()).add(new Box(id, x, y, w, h, conf));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return new MotFile(frames);
    }

    private static double number(String s, String where, String field) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new EvalInputException(where + field + " is not a number: '" + s + "'");
    }

    private static int integer(String s, String where, String field) {
        double v = number(s, where, field);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new EvalInputException(where + field + " is not an integer: '" + s + "'");
        return (int) v;
    }

    /** One MOTChallenge line: {@code frame,id,x,y,w,h,conf,-1,-1,-1} (the results format). */
    public static String line(int frame, int id, double x, double y, double w, double h, double conf) {
        return String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,%.4f,-1,-1,-1", frame, id, x, y, w, h, conf);
    }
}
