package io.resdet.experiments;

import io.resdet.data.FashionMnist;
import io.resdet.data.ImageSet;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * resdet's training loop against PyTorch's on the same Fashion-MNIST batches from the same weights (CI-sized:
 * ResNet-20, batch 16, 100 iterations; {@code resdet experiment oracle} runs ResNet-56 for 200 and more). The
 * comparison must also fail where it should: a resdet that stayed at chance, or lagged PyTorch by a few tenths of
 * a nat, is judged against the same PyTorch curves.
 */
class TrainingOracleTest {
    @TempDir Path dir;

    @Test
    void resnet20OnFashionMnistTracksPyTorch() throws Exception {
        ImageSet train = FashionMnist.load(FashionMnist.DEFAULT_DIR, true).head(6000);
        var s = new TrainingOracle.Settings("resnet20", 100, 16, 1, Oracle.python());
        TrainingOracle.Result r = TrainingOracle.run(s, train, "fashion-mnist", dir);
        String report = TrainingOracle.table(List.of(r)) + String.join("\n", TrainingOracle.windowLines(r)) + "\n" + r.comparison().verdict();
        System.out.println(report);

        assertEquals(List.of(), r.init(), "initial weights spread as the paper's initialisation");
        assertEquals(0, r.lrMismatches(), "the same rate at every iteration");
        assertTrue(r.comparison().firstStepGap() < 1e-5, "the first step, on identical weights and batch: " + report);
        assertTrue(r.tracks(), report);
        // The run is one in which something is learnt: a comparison of two flat curves would prove little.
        double[] w = OracleComparison.windows(r.torchLoss(), r.comparison().window());
        assertTrue(w[w.length - 1] < 0.7 * Math.log(10), "PyTorch learns: " + report);

        // The same PyTorch curves against a resdet that never left chance level after its (identical) first step.
        double[] chance = new double[r.torchLoss().length];
        Arrays.fill(chance, Math.log(10));
        chance[0] = r.resdetLoss()[0];
        OracleComparison stuck = new OracleComparison(chance, r.torchLoss(), r.perturbedLoss(), r.comparison().window());
        assertFalse(stuck.tracks(), stuck.verdict());
        assertTrue(stuck.verdict().contains("DOES NOT TRACK: window"), stuck.verdict());
    }

    @Test
    void windowsAndVerdicts() {
        assertEquals(List.of(2.0, 5.0), Arrays.stream(OracleComparison.windows(new double[] {1, 2, 3, 5}, 3)).boxed().toList());
        double[] torch = {2.3, 2.0, 1.5, 1.2, 1.0, 0.9, 0.8, 0.8};
        double[][] noise = {{2.3, 2.02, 1.48, 1.30, 0.98, 0.92, 0.8, 0.8}, {2.3, 2.0, 1.5, 1.2, 1.0, 0.9, 0.81, 0.81}};
        OracleComparison same = new OracleComparison(torch.clone(), torch, noise, 2);
        assertTrue(same.tracks());
        assertTrue(same.verdict().startsWith("TRACKS"), same.verdict());
        // Window noise: 0.01, 0.04, 0, 0.01 (the larger of both runs); each window also takes its neighbours'.
        assertArrayEquals(new double[] {0.12, 0.12, 0.12, 0.05}, same.tolerances(), 1e-9);
        double[] off = torch.clone();
        off[0] = 2.31;
        OracleComparison first = new OracleComparison(off, torch, noise, 2);
        assertFalse(first.tracks(), "the first iteration, on identical weights and batch, must agree");
        assertTrue(first.verdict().contains("first iteration differs"), first.verdict());
        double[] late = torch.clone();
        late[6] += 0.06;
        late[7] += 0.06; // the last window, where the noise was 0.01: a 0.06 gap exceeds its 0.05 floor
        OracleComparison lagging = new OracleComparison(late, torch, noise, 2);
        assertTrue(lagging.verdict().startsWith("DOES NOT TRACK: window 3 (iterations 6-7)"), lagging.verdict());
        double[] nan = torch.clone();
        nan[5] = Double.NaN;
        assertFalse(new OracleComparison(nan, torch, noise, 2).tracks());
    }
}
