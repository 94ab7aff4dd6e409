package io.resdet.experiments;

import io.resdet.data.ImageSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary's table lists depths shallowest first, whatever order the networks were trained in. */
class DegradationSummaryTest {
    private static List<ClassificationRun.Point> ending(double trainError, double testError) {
        return List.of(new ClassificationRun.Point(100, trainError, 1.0, testError, 0.1, 1.0, new double[4], 10));
    }

    @Test
    void tableRowsAreInDepthOrderWhenTrainedExtremesFirst() {
        Map<String, List<ClassificationRun.Point>> curves = Map.of(
                "plain_resnet20", ending(0.10, 0.11), "resnet20", ending(0.09, 0.10),
                "plain_resnet56", ending(0.15, 0.16), "resnet56", ending(0.07, 0.08),
                "plain_resnet32", ending(0.12, 0.13), "resnet32", ending(0.08, 0.09));
        ImageSet set = new ImageSet(new byte[2], new int[] {0, 1}, 1, 1, 1, List.of("a", "b"));
        ClassificationRun.Config cfg = new ClassificationRun.Config(100, 2, 0.1, false, 50, 0, 1);
        String md = Degradation.summary(List.of(20, 56, 32), curves, cfg, set, set, "test", "cmd", 1.0);
        List<String> rows = md.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).toList();
        assertEquals(List.of(
                "| 20 | 10.00% | 11.00% | 9.00% | 10.00% |",
                "| 32 | 12.00% | 13.00% | 8.00% | 9.00% |",
                "| 56 | 15.00% | 16.00% | 7.00% | 8.00% |"), rows, md);
    }
}
