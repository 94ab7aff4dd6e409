package io.resdet.detector.train;

import io.resdet.train.MetricsCsv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's {@code metrics.csv} across resumes: rows up to the resumed iteration are kept (later ones belonged
 * to steps the checkpoint does not have and will be redone), and the best validation so far is recovered.
 */
final class MetricsHistory {
    private final Path file;
    private final List<String> columns;
    private final List<String> kept;

    private MetricsHistory(Path file, List<String> columns, List<String> kept) {
        this.file = file;
        this.columns = columns;
        this.kept = kept;
    }

    static MetricsHistory open(Path file, List<String> columns, long resumedAt) throws IOException {
        List<String> kept = new ArrayList<>();
        if (resumedAt > 0 && Files.isRegularFile(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).equals(String.join(",", columns))) {
                for (String line : lines.subList(1, lines.size())) {
                    String first = line.split(",", 2)[0];
                    if (!first.isEmpty() && Long.parseLong(first) <= resumedAt) kept.add(line);
                }
            }
        }
        return new MetricsHistory(file, columns, kept);
    }

    /** A writer that starts with the header and the kept rows. */
    MetricsCsv writer() throws IOException {
        MetricsCsv csv = new MetricsCsv(file, columns);
        for (String line : kept) csv.raw(line);
        return csv;
    }

    /** The kept row with the highest {@code column} (validation metrics by name, without the prefix stripped). */
    Map<String, Double> best(String column) {
        Map<String, Double> best = new LinkedHashMap<>();
        int at = column == null ? -1 : columns.indexOf(column);
        if (at < 0) return best;
        double top = Double.NEGATIVE_INFINITY;
        for (String line : kept) {
            String[] f = line.split(",", -1);
            if (f.length <= at || f[at].isEmpty()) continue;
            double v = Double.parseDouble(f[at]);
            if (v > top) {
                top = v;
                best.clear();
                bestIteration = Long.parseLong(f[0]);
                for (int i = 0; i < columns.size(); i++) {
                    if (columns.get(i).startsWith("val_") && !f[i].isEmpty()) best.put(columns.get(i).substring(4), Double.parseDouble(f[i]));
                }
            }
        }
        return best;
    }

    private long bestIteration;

    long bestIteration() {
        return bestIteration;
    }
}
