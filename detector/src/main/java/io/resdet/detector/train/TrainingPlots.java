package io.resdet.detector.train;

import io.resdet.train.LinePlot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code curves.png} from {@code metrics.csv}: the loss and its four parts (moving average, log scale), the
 * validation metrics, and the learning rate, against iterations.
 */
final class TrainingPlots {
    private static final int SMOOTH = 20;

    private TrainingPlots() {}

    static void write(Path metricsCsv, Path png) throws IOException {
        List<String> lines = Files.readAllLines(metricsCsv, StandardCharsets.UTF_8);
        if (lines.size() < 2) return;
        List<String> cols = List.of(lines.get(0).split(","));
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) rows.add(l.split(",", -1));
        LinePlot losses = new LinePlot("training loss (moving average of " + SMOOTH + ")", "iteration", "loss").logY();
        int colour = 0;
        for (String name : List.of("loss", "loss_objectness", "loss_rpn_box_reg", "loss_classifier", "loss_box_reg")) {
            double[][] xy = column(rows, cols.indexOf(name));
            losses.add(new LinePlot.Series(name, xy[0], smooth(xy[1]), LinePlot.PALETTE.get(colour++ % LinePlot.PALETTE.size()),
                    !name.equals("loss")));
        }
        List<LinePlot> plots = new ArrayList<>(List.of(losses));
        LinePlot val = new LinePlot("validation", "iteration", "metric").yRange(0, 1);
        colour = 0;
        for (int c = 0; c < cols.size(); c++) {
            if (!cols.get(c).startsWith("val_")) continue;
            double[][] xy = column(rows, c);
            // COCO reports -1 for an area range without objects (APl on small images): nothing to draw.
            if (xy[0].length > 0 && java.util.Arrays.stream(xy[1]).allMatch(v -> v >= 0)) val.add(new LinePlot.Series(cols.get(c).substring(4), xy[0], xy[1],
                    LinePlot.PALETTE.get(colour++ % LinePlot.PALETTE.size()), false));
        }
        if (!val.series().isEmpty()) plots.add(val);
        double[][] lr = column(rows, cols.indexOf("lr"));
        plots.add(new LinePlot("learning rate", "iteration", "lr").add(new LinePlot.Series("lr", lr[0], lr[1], LinePlot.PALETTE.get(1), false)));
        LinePlot.writePng(png, plots, 560, 400); // side by side
    }

    /** (iteration, value) pairs of the rows where the column has a value. */
    private static double[][] column(List<String[]> rows, int c) {
        List<double[]> pts = new ArrayList<>();
        for (String[] r : rows) {
            if (c < r.length && !r[c].isEmpty() && !r[0].isEmpty()) pts.add(new double[] {Double.parseDouble(r[0]), Double.parseDouble(r[c])});
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    private static double[] smooth(double[] y) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= SMOOTH) sum -= y[i - SMOOTH];
            out[i] = sum / Math.min(i + 1, SMOOTH);
        }
        return out;
    }
}
