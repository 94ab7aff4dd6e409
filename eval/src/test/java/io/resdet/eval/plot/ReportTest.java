package io.resdet.eval.plot;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.resdet.eval.Fixtures;
import io.resdet.eval.ProgressListener;
import io.resdet.eval.coco.CocoDetections;
import io.resdet.eval.coco.CocoEval;
import io.resdet.eval.coco.CocoEvalResult;
import io.resdet.eval.coco.CocoGroundTruth;
import io.resdet.eval.voc.VocClassResult;
import io.resdet.eval.voc.VocDetections;
import io.resdet.eval.voc.VocEval;
import io.resdet.eval.voc.VocGroundTruth;
import io.resdet.eval.voc.VocJson;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG reports: files exist, decode, and hold a drawn curve. */
class ReportTest {
    @TempDir Path tmp;

    @Test
    void cocoReportHasOverallAndPerCategoryCurves() throws IOException {
        Path dir = Fixtures.ROOT.resolve("coco-eval").resolve("basic_small");
        CocoGroundTruth gt = CocoGroundTruth.read(dir.resolve("gt.json"));
        CocoEvalResult r = CocoEval.evaluate(gt, CocoDetections.read(dir.resolve("dt.json"), gt));
        Path report = CocoReport.write(r, tmp.resolve("plots"), ProgressListener.NONE);
        String md = Files.readString(report);
        assertTrue(md.contains(r.summaryLines().get(0)), "summary embedded");
        assertCurve(tmp.resolve("plots").resolve("pr_overall.png"));
        for (int k = 0; k < gt.numCategories(); k++) {
            String png = "pr_" + gt.categoryIds()[k] + "_" + gt.categoryNames()[k] + ".png";
            assertTrue(md.contains("(" + png + ")"), png + " embedded");
            assertCurve(tmp.resolve("plots").resolve(png));
        }
    }

    @Test
    void vocReportHasOneChartPerClassAndAnOverview() throws IOException {
        Path dir = Fixtures.ROOT.resolve("voc-eval").resolve("voc_basic");
        VocGroundTruth gt = VocJson.readGroundTruth(dir.resolve("gt.json"));
        Map<String, VocDetections> dets = VocJson.readDetections(dir.resolve("dt.json"));
        List<VocClassResult> results = gt.classes().stream()
                .map(c -> VocEval.evaluate(gt, c, dets.getOrDefault(c, VocDetections.empty()), 0.5, c)).toList();
        String md = Files.readString(VocReport.write(results, VocEval.Metric.AREA, tmp, ProgressListener.NONE));
        assertTrue(md.contains("pr_all.png"));
        assertCurve(tmp.resolve("pr_all.png"));
        for (String c : gt.classes()) assertCurve(tmp.resolve("pr_" + c + ".png"));
    }

    /** Decodes, has chart-like size, and holds coloured curve pixels (axes, grid and text are grey). */
    static void assertCurve(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " exists");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " decodes");
        assertTrue(img.getWidth() >= 600 && img.getWidth() <= 2000 && img.getHeight() >= 400 && img.getHeight() <= 2000,
                png + " size " + img.getWidth() + "x" + img.getHeight());
        int white = 0, series = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) white++;
                int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) series++;
            }
        }
        int total = img.getWidth() * img.getHeight();
        assertTrue(white < total * 0.98, png + " is not blank");
        assertTrue(series > 300, png + " has drawn curves (" + series + " coloured pixels)");
    }
}
