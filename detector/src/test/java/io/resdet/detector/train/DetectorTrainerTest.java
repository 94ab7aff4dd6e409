package io.resdet.detector.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.detector.DetectorSpec;
import io.resdet.detector.FasterRCNN;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.ModelFiles;
import io.resdet.detector.RegionProposalNetwork;
import io.resdet.detector.RoIHeads;
import io.resdet.detector.data.DetectionDataset;
import io.resdet.detector.data.DetectionDatasets;
import io.resdet.detector.data.ShapesDatasetWriter;
import io.resdet.io.Checkpoints;
import io.resdet.io.StateDict;
import io.resdet.nn.NormLayer;
import io.resdet.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop's bookkeeping on a tiny network: exact resume, time cap, run-folder outputs. */
class DetectorTrainerTest {
    @TempDir static Path data;
    @TempDir Path dir;
    static DetectionDataset train, val;

    @BeforeAll
    static void dataset() throws Exception {
        ShapesDatasetWriter.builder().setImages(8, 4).optClasses(2).optSize(64, 64).optMaxObjects(3).optSeed(5).build()
                .write(data.resolve("shapes"), new Progress("synth", 12, "img", new PrintStream(OutputStream.nullOutputStream()), false));
        train = DetectionDatasets.open(data.resolve("shapes").toString(), true);
        val = DetectionDatasets.open(data.resolve("shapes").toString(), false);
    }

    static FasterRCNN tiny(NDManager m) {
        return FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(3).optNorm(NormLayer.BATCH_NORM)
                .optTrainableLayers(5).optReturnedLayers(List.of(1, 2)).optFpnChannels(32).optAnchorSizes(List.of(16, 32, 64))
                .optRepresentationSize(64).optMinSize(64).optMaxSize(64)
                .optRpnConfig(RegionProposalNetwork.RpnConfig.builder().optPreNmsTopN(200, 100).optPostNmsTopN(100, 50).build())
                .optHeadsConfig(RoIHeads.HeadsConfig.defaults().withSampling(32, 0.25)).build(m);
    }

    static TrainConfig config(Path out, long iterations, boolean resume, double minutes) {
        // A constant rate after warm-up: a run stopped early then matches the first steps of a longer one.
        return TrainConfig.builder().setOut(out).setIterations(iterations).optLr(0.01).optWarmup(2, 0.1)
                .optSchedule("constant", List.of(), 0.1).optClipNorm(10).optMinutes(minutes).optAspectRatioGroups(0).optSeed(11)
                .optCheckpointEvery(2).optValidation(0, 0).optSampleImages(0).optResume(resume).build();
    }

    static DetectorTrainer.Summary run(Path out, long iterations, boolean resume, double minutes) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(3); // the same initial weights for every run
            FasterRCNN model = tiny(m);
            return new DetectorTrainer(model, train, null, null, config(out, iterations, resume, minutes),
                    new PrintStream(OutputStream.nullOutputStream())).run();
        }
    }

    @Test
    void resumedRunRepeatsTheUninterruptedOneExactly() throws Exception {
        run(dir.resolve("straight"), 5, false, 0);
        run(dir.resolve("split"), 3, false, 0); // stopped after 3, then resumed to 5
        DetectorTrainer.Summary s = run(dir.resolve("split"), 5, true, 0);
        assertEquals(2, s.iterations());
        List<String> a = Files.readAllLines(dir.resolve("straight/metrics.csv"), StandardCharsets.UTF_8);
        List<String> b = Files.readAllLines(dir.resolve("split/metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(6, a.size());
        for (int i = 0; i < a.size(); i++) assertEquals(stripTiming(a.get(i)), stripTiming(b.get(i)), "metrics row " + i);
        StateDict wa = Checkpoints.read(dir.resolve("straight/model.safetensors"));
        StateDict wb = Checkpoints.read(dir.resolve("split/model.safetensors"));
        assertEquals(wa.keys(), wb.keys());
        for (String k : wa.keys()) assertEquals(wa.get(k), wb.get(k), k);
    }

    /** Drops images_per_s and seconds, the columns that measure the machine rather than the run. */
    private static String stripTiming(String row) {
        String[] f = row.split(",", -1);
        return String.join(",", java.util.Arrays.copyOfRange(f, 0, 8));
    }

    @Test
    void timeCapCheckpointsAndResumeFinishes() throws Exception {
        DetectorTrainer.Summary capped = run(dir.resolve("capped"), 4, false, 1e-9);
        assertFalse(capped.completed());
        assertEquals(0, capped.iterations());
        assertTrue(Files.isRegularFile(dir.resolve("capped/checkpoint/checkpoint.json")));
        DetectorTrainer.Summary rest = run(dir.resolve("capped"), 4, true, 0);
        assertTrue(rest.completed());
        assertEquals(4, rest.iterations());
    }

    @Test
    void writesModelWithSpecCurvesAndSamples() throws Exception {
        Validator countBoxes = new Validator() {
            @Override
            public List<String> metricNames() {
                return List.of("mean_detections");
            }

            @Override
            public java.util.Map<String, Double> evaluate(DetectionDataset ds, int[] idx, List<List<io.resdet.detector.Detection>> dets) {
                assertEquals(idx.length, dets.size());
                return java.util.Map.of("mean_detections", dets.stream().mapToInt(List::size).average().orElse(0));
            }
        };
        Path out = dir.resolve("full");
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN model = tiny(m);
            TrainConfig cfg = TrainConfig.builder().setOut(out).setIterations(4).optLr(0.01).optWarmup(2, 0.1)
                    .optSchedule("cosine", List.of(), 0.1).optAspectRatioGroups(0).optSeed(1).optCheckpointEvery(2)
                    .optValidation(2, 0).optSampleImages(2).build();
            DetectorTrainer.Summary s = new DetectorTrainer(model, train, val, countBoxes, cfg, new PrintStream(OutputStream.nullOutputStream())).run();
            assertTrue(s.bestIteration() == 2 || s.bestIteration() == 4, "validated at 2 and 4: " + s.bestIteration());
            assertTrue(s.lastValidation().containsKey("mean_detections"));
        }
        for (String f : List.of("model.safetensors", "best.safetensors", "metrics.csv", "curves.png", "samples/val_000.png", "samples/val_001.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        DetectorSpec spec = ModelFiles.readSpec(out.resolve("model.safetensors")).orElseThrow();
        assertEquals(List.of("__background__", train.classNames().get(1), train.classNames().get(2)), spec.classNames());
        assertEquals(List.of(1, 2), spec.returnedLayers());
        assertEquals(32, spec.fpnChannels());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(5, rows.size());
        assertFalse(rows.get(2).split(",", -1)[10].isEmpty(), "validation at iteration 2: " + rows.get(2));
        assertTrue(rows.get(1).split(",", -1)[10].isEmpty(), "no validation at iteration 1: " + rows.get(1));
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN rebuilt = FasterRCNNs.builder().fromSpec(spec).build(m);
            io.resdet.detector.DetectorWeights.load(rebuilt, out.resolve("model.safetensors"), true);
            NDArray w = rebuilt.namedTensors().get("roi_heads.box_predictor.cls_score.weight").get();
            assertEquals(new ai.djl.ndarray.types.Shape(3, 64), w.getShape());
        }
    }
}
