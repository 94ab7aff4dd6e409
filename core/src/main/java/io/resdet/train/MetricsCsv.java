package io.resdet.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A CSV of metrics with a fixed header, flushed per row so a crashed or interrupted run still leaves its curve.
 * Numbers are written with '.' decimals whatever the locale; NaN stays empty.
 */
public final class MetricsCsv implements AutoCloseable {
    private final BufferedWriter out;
    private final List<String> columns;

    public MetricsCsv(Path file, List<String> columns) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.columns = List.copyOf(columns);
        out.write(String.join(",", columns));
        out.newLine();
        out.flush();
    }

    /** One row; values are Strings (written as-is, quoted if needed) or Numbers. */
    public void row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + columns.size() + " columns");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(format(values[i]));
        }
        try {
            out.write(sb.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row already in CSV form (carried over from an earlier file when a run resumes). */
    public void raw(String line) {
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return d.isNaN() ? "" : String.format(Locale.ROOT, "%.6g", d);
        if (v instanceof Float f) return f.isNaN() ? "" : String.format(Locale.ROOT, "%.6g", f);
        String s = v.toString();
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
