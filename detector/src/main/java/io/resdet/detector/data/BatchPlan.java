package io.resdet.detector.data;

import io.resdet.train.SplitMix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which images form which batch in an epoch, as torchvision's detection reference samples them: a shuffled order
 * (here from {@code SplitMix(seed + epoch)}), then either plain batches with the last partial one dropped
 * ({@code BatchSampler(drop_last=True)}) or {@code GroupedBatchSampler} over aspect-ratio groups
 * ({@code create_aspect_ratio_groups}). Either way an epoch has {@code floor(N / batch)} batches.
 */
final class BatchPlan {
    private final int[] groups;
    private final int batch;
    private final boolean shuffle;
    private final long seed;
    private final boolean grouped;

    BatchPlan(int[] groups, int batch, boolean shuffle, long seed, boolean grouped) {
        this.groups = groups;
        this.batch = batch;
        this.shuffle = shuffle;
        this.seed = seed;
        this.grouped = grouped;
    }

    int batchesPerEpoch() {
        return groups.length / batch;
    }

    /**
     * The group of each image by width/height: {@code k} > 0 gives torchvision's bins {@code 2^linspace(-1, 1, 2k+1)}
     * and group = number of bins ≤ the ratio ({@code bisect_right}), so 2k+2 groups; {@code k = 0} puts every image
     * in group 0 (no grouping; torchvision's own k = 0 would still split at ratio 1).
     */
    static int[] aspectRatioGroups(DetectionDataset ds, int k) {
        int[] out = new int[ds.size()];
        if (k == 0) return out;
        double[] bins = new double[2 * k + 1];
        double step = 2.0 / (2 * k);
        for (int i = 0; i < bins.length; i++) bins[i] = Math.pow(2, i == bins.length - 1 ? 1.0 : -1.0 + i * step);
        for (int i = 0; i < out.length; i++) {
            int[] wh = ds.imageSize(i);
            double ratio = (double) wh[0] / wh[1];
            int g = 0;
            while (g < bins.length && bins[g] <= ratio) g++;
            out[i] = g;
        }
        return out;
    }

    /** The batches of {@code epoch}, each an array of dataset indices. */
    int[][] epoch(int epoch) {
        int n = groups.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) new SplitMix(seed + epoch).shuffle(order);
        List<int[]> out = grouped ? grouped(order) : plain(order);
        return out.toArray(int[][]::new);
    }

    private List<int[]> plain(int[] order) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batchesPerEpoch(); b++) out.add(Arrays.copyOfRange(order, b * batch, (b + 1) * batch));
        return out;
    }

    private List<int[]> grouped(int[] order) {
        // Insertion order matters for the leftovers' tie-break: Python re-creates a group's key (at the end of the
        // dict) right after yielding its full buffer, which remove + put reproduces.
        LinkedHashMap<Integer, List<Integer>> buffers = new LinkedHashMap<>();
        Map<Integer, List<Integer>> seen = new HashMap<>();
        List<int[]> out = new ArrayList<>();
        for (int idx : order) {
            int g = groups[idx];
            List<Integer> buf = buffers.computeIfAbsent(g, x -> new ArrayList<>());
            buf.add(idx);
            seen.computeIfAbsent(g, x -> new ArrayList<>()).add(idx);
            if (buf.size() == batch) {
                out.add(toArray(buf));
                buffers.remove(g);
                buffers.put(g, new ArrayList<>());
            }
        }
        int remaining = batchesPerEpoch() - out.size();
        if (remaining > 0) {
            List<Map.Entry<Integer, List<Integer>>> fullest = new ArrayList<>(buffers.entrySet());
            fullest.sort(Comparator.comparingInt((Map.Entry<Integer, List<Integer>> e) -> e.getValue().size()).reversed());
            for (Map.Entry<Integer, List<Integer>> e : fullest) {
                List<Integer> buf = new ArrayList<>(e.getValue());
                List<Integer> pool = seen.get(e.getKey());
                // the group's samples in epoch order, repeated as often as needed to fill the batch
                for (int i = 0; buf.size() < batch; i++) buf.add(pool.get(i % pool.size()));
                out.add(toArray(buf));
                if (--remaining == 0) break;
            }
        }
        return out;
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
