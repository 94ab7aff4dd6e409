package io.resdet.detector.data;

import io.resdet.image.RgbImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionLoaderTest {
    /** Width/height ratios 1, 0.5, 2, 1.25, 0.75, 1.6, 0.4: groups 4, 1, 7, 4, 2, 6, 0 under torchvision's k = 3 bins. */
    static final int[][] SIZES = {{40, 40}, {20, 40}, {40, 40}, {80, 40}, {20, 40}, {40, 40}, {80, 40}, {40, 40}, {20, 40},
            {50, 40}, {30, 40}, {64, 40}, {16, 40}};

    @TempDir Path dir;
    DetectionDataset ds;

    @BeforeEach
    void data() throws IOException {
        ds = CocoDetectionDataset.open(DataFixtures.cocoSet(dir, SIZES), dir.resolve("images"), false);
    }

    @Test
    void flipMirrorsPixelsAndBoxes() {
        RgbImage im = DataFixtures.tagged(4, 2, 9);
        DetectionSample s = new DetectionSample("a.png", 3, im, new float[] {1, 0, 3, 2, 0, 0.5f, 1.5f, 2}, new int[] {2, 5});
        DetectionSample f = s.flipped();
        assertArrayEquals(new float[] {1, 0, 3, 2, 2.5f, 0.5f, 4, 2}, f.boxes());
        assertArrayEquals(new int[] {2, 5}, f.labels());
        assertEquals(2, f.numBoxes());
        assertEquals("a.png", f.fileName());
        assertEquals(3, f.imageId());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                int p = (y * 4 + x) * 3;
                assertEquals(3 - x, f.image().rgb()[p], "x mirrored");
                assertEquals(y, f.image().rgb()[p + 1], "y kept");
                assertEquals(9, f.image().rgb()[p + 2]);
            }
        }
        assertArrayEquals(s.image().rgb(), f.flipped().image().rgb());
        assertArrayEquals(s.boxes(), f.flipped().boxes());
        assertArrayEquals(new float[] {1, 0, 3, 2, 0, 0.5f, 1.5f, 2}, s.boxes(), "the original is untouched");
    }

    @Test
    void groupsAreTorchvisionsBinsAndBatchesAsItsGroupedBatchSampler() {
        // Expected values from torchvision's GroupedBatchSampler over a sequential sampler (the tie order of the
        // leftover groups included), computed with its Python source.
        int[][][] expected = {
                {{0, 2}, {1, 4}, {3, 6}, {5, 7}, {8, 1}, {9, 0}},
                {{0, 2, 5}, {1, 4, 8}, {3, 6, 3}, {7, 9, 0}},
                {{0, 2, 5, 7}, {1, 4, 8, 1}, {3, 6, 3, 6}}};
        for (int b = 2; b <= 4; b++) {
            try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(b).optShuffle(false).optWorkers(0).build()) {
                assertEquals(SIZES.length / b, l.batchesPerEpoch());
                assertArrayEquals(expected[b - 2], l.epochBatches(0), "batch " + b);
                assertArrayEquals(expected[b - 2], l.epochBatches(5), "unshuffled epochs repeat");
            }
        }
        assertArrayEquals(new int[] {4, 1, 4, 7, 1, 4, 7, 4, 1, 4, 2, 6, 0}, BatchPlan.aspectRatioGroups(ds, 3));
        assertArrayEquals(new int[] {2, 1, 2, 3, 1, 2, 3, 2, 1, 2, 1, 2, 0}, BatchPlan.aspectRatioGroups(ds, 1));
        assertArrayEquals(new int[SIZES.length], BatchPlan.aspectRatioGroups(ds, 0));
    }

    @Test
    void shuffledBatchesHoldOneGroupEachAndEpochsReshuffle() {
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optSeed(7).optWorkers(2).build()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int b = 0; b < l.batchesPerEpoch(); b++) {
                    List<DetectionSample> batch = l.next();
                    assertEquals(epoch, l.epoch());
                    int bin = bin(batch.get(0).image());
                    for (DetectionSample s : batch) assertEquals(bin, bin(s.image()), "batch mixes aspect-ratio bins: " + batch);
                }
            }
            assertFalse(Arrays.deepEquals(l.epochBatches(0), l.epochBatches(1)), "epoch 1 reshuffled");
            assertFalse(Arrays.deepEquals(l.epochBatches(1), l.epochBatches(2)), "epoch 2 reshuffled");
        }
        try (DetectionLoader plain = DetectionLoader.builder().setDataset(ds).setBatchSize(4).optSeed(7).optAspectRatioGroups(0).optWorkers(0).build()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                Set<Integer> seen = new HashSet<>();
                for (int[] batch : plain.epochBatches(epoch)) for (int i : batch) assertTrue(seen.add(i), "no repeats without grouping");
                assertEquals(12, seen.size(), "13 images, batch 4: the last partial batch is dropped");
            }
            Set<Integer> mixed = new HashSet<>();
            for (int[] batch : plain.epochBatches(0)) for (int i : batch) mixed.add(BatchPlan.aspectRatioGroups(ds, 3)[i]);
            assertTrue(mixed.size() > 1, "no grouping: batches cross groups");
        }
    }

    /** torchvision's bin of a decoded image: how many of 2^(-1), 2^(-2/3), ..., 2^1 are at most its width/height. */
    private static int bin(RgbImage im) {
        double ratio = (double) im.width() / im.height();
        int n = 0;
        for (int i = 0; i <= 6; i++) if (Math.pow(2, -1 + i / 3.0) <= ratio) n++;
        return n;
    }

    @Test
    void sameBatchesAndFlipsWithOneOrThreeWorkers() {
        List<String> one = run(1), three = run(3), none = run(0);
        assertEquals(one, three);
        assertEquals(one, none);
        assertTrue(one.stream().anyMatch(s -> s.contains("flipped")) && one.stream().anyMatch(s -> s.contains("kept")), one.toString());
    }

    /** Three epochs of batches, each sample as "file box flip-state pixel-hash". */
    private List<String> run(int workers) {
        List<String> out = new ArrayList<>();
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optSeed(3).optHorizontalFlip(0.5)
                .optWorkers(workers).optPrefetch(3).build()) {
            for (int i = 0; i < 3 * l.batchesPerEpoch(); i++) {
                for (DetectionSample s : l.next()) {
                    // the fixture's box is the left half; flipped it is the right half, and pixel (0, 0) holds x = W-1
                    boolean flipped = s.boxes()[0] > 0;
                    assertEquals(flipped, (s.image().rgb()[0] & 0xff) == s.image().width() - 1);
                    assertEquals(flipped, l.flips(l.epoch(), (int) s.imageId() - 1));
                    out.add(s.fileName() + " " + Arrays.toString(s.boxes()) + (flipped ? " flipped " : " kept ") + Arrays.hashCode(s.image().rgb()));
                }
            }
        }
        return out;
    }

    @Test
    void flipDecisionsDependOnSeedEpochAndImage() {
        try (DetectionLoader a = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optSeed(3).optHorizontalFlip(0.5).optWorkers(0).build();
             DetectionLoader b = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optSeed(4).optHorizontalFlip(0.5).optWorkers(0).build();
             DetectionLoader never = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optWorkers(0).build()) {
            int flips = 0, differ = 0, epochDiffer = 0, n = 2000;
            for (int i = 0; i < n; i++) {
                flips += a.flips(0, i) ? 1 : 0;
                differ += a.flips(0, i) != b.flips(0, i) ? 1 : 0;
                epochDiffer += a.flips(0, i) != a.flips(1, i) ? 1 : 0;
                assertFalse(never.flips(0, i), "default probability is 0");
            }
            assertTrue(Math.abs(flips - n / 2) < 100, "about half flipped: " + flips);
            assertTrue(differ > n / 3 && epochDiffer > n / 3, differ + " " + epochDiffer);
        }
    }

    @Test
    void resumingAtAnIterationGivesTheSameNextBatch() {
        List<List<String>> straight = new ArrayList<>();
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(3).optSeed(11).optHorizontalFlip(0.5).build()) {
            assertEquals(4, l.batchesPerEpoch());
            assertEquals(0, l.iteration());
            for (int i = 0; i < 10; i++) straight.add(names(l.next()));
            assertEquals(10, l.iteration());
            assertEquals(2, l.epoch());
            assertEquals(2, l.iterationInEpoch());
        }
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(3).optSeed(11).optHorizontalFlip(0.5)
                .optStartIteration(6).build()) {
            assertEquals(6, l.iteration());
            assertEquals(1, l.epoch());
            for (int i = 6; i < 10; i++) assertEquals(straight.get(i), names(l.next()), "batch " + i);
            assertEquals(2, l.epoch());
        }
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(3).optSeed(11).optHorizontalFlip(0.5)
                .optStartEpoch(1).optStartIteration(2).optWorkers(0).build()) {
            assertEquals(straight.get(6), names(l.next()), "epoch 1 + 2 batches = iteration 6");
        }
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(3).optSeed(11).optHorizontalFlip(0.5)
                .optStartEpoch(2).build()) {
            assertEquals(straight.get(8), names(l.next()), "start of epoch 2");
        }
    }

    private static List<String> names(List<DetectionSample> batch) {
        return batch.stream().map(s -> s.fileName() + Arrays.toString(s.boxes())).toList();
    }

    @Test
    void anUnreadableImageSurfacesFromNextNamingTheFile() throws IOException {
        Files.write(dir.resolve("images").resolve("2.png"), new byte[] {1, 2, 3});
        try (DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(3).optShuffle(false).optAspectRatioGroups(0)
                .optWorkers(2).build()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, l::next);
            assertTrue(e.getMessage().contains("2.png") && !e.getMessage().contains("\n"), e.getMessage());
            assertEquals(3, l.next().size(), "the next batch still comes");
        }
    }

    @Test
    void closeStopsTheWorkers() throws InterruptedException {
        DetectionLoader l = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optWorkers(3).optPrefetch(4).build();
        l.next();
        assertTrue(l.hasNext());
        l.close();
        assertFalse(l.hasNext());
        for (int i = 0; i < 50 && loaderThreads() > 0; i++) Thread.sleep(20);
        assertEquals(0, loaderThreads());
    }

    private static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("detection-loader-") && t.isAlive()).count();
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> DetectionLoader.builder().setDataset(ds).setBatchSize(14).build());
        assertThrows(IllegalArgumentException.class, () -> DetectionLoader.builder().setDataset(ds).setBatchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> DetectionLoader.builder().setDataset(ds).setBatchSize(2).optHorizontalFlip(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> DetectionLoader.builder().setBatchSize(2).build());
        assertNotEquals(0, DetectionLoader.builder().setDataset(ds).setBatchSize(13).optWorkers(0).build().batchesPerEpoch());
    }
}
