package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code BalancedPositiveNegativeSampler} of {@code torchvision/models/detection/_utils.py}: per image, at
 * most {@code batchSizePerImage * positiveFraction} positives (matched index ≥ 1) and the rest negatives
 * (matched index == 0), each drawn uniformly without replacement; -1 and -2 are ignored.
 *
 * <p>The random draws come from a {@link PermutationSource}: the default is a seeded {@link Random}; a
 * test can inject torch's {@code randperm} output to reproduce torchvision's samples exactly.
 */
public final class BalancedPositiveNegativeSampler {
    /** Supplies {@code randperm(n)}: a permutation of 0..n-1. Called for positives, then negatives, per image. */
    @FunctionalInterface
    public interface PermutationSource {
        int[] permutation(int n);

        /** Fisher–Yates shuffles from {@code random}. */
        static PermutationSource of(Random random) {
            return n -> {
                int[] p = new int[n];
                for (int i = 0; i < n; i++) {
                    p[i] = i;
                }
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = p[i];
                    p[i] = p[j];
                    p[j] = t;
                }
                return p;
            };
        }
    }

    /** Per image, the sampled positive and negative masks (uint8, 1 = selected), like torchvision's outputs. */
    public record Sample(List<NDArray> positive, List<NDArray> negative) {}

    private final int batchSizePerImage;
    private final double positiveFraction;
    private final PermutationSource permutations;

    public BalancedPositiveNegativeSampler(int batchSizePerImage, double positiveFraction, long seed) {
        this(batchSizePerImage, positiveFraction, PermutationSource.of(new Random(seed)));
    }

    public BalancedPositiveNegativeSampler(int batchSizePerImage, double positiveFraction,
            PermutationSource permutations) {
        this.batchSizePerImage = batchSizePerImage;
        this.positiveFraction = positiveFraction;
        this.permutations = permutations;
    }

    /** @param matchedIdxs per image, int64 (N_i) matched indices / labels; masks go to their managers */
    public Sample sample(List<NDArray> matchedIdxs) {
        List<NDArray> pos = new ArrayList<>(matchedIdxs.size());
        List<NDArray> neg = new ArrayList<>(matchedIdxs.size());
        for (NDArray matched : matchedIdxs) {
            long[] m = BoxOps.toLongs(matched);
            int[] positive = where(m, true);
            int[] negative = where(m, false);

            int numPos = (int) (batchSizePerImage * positiveFraction);
            // protect against not enough positive (then negative) examples
            numPos = Math.min(positive.length, numPos);
            int numNeg = Math.min(negative.length, batchSizePerImage - numPos);

            int[] perm1 = permutations.permutation(positive.length);
            int[] perm2 = permutations.permutation(negative.length);
            byte[] posMask = new byte[m.length];
            byte[] negMask = new byte[m.length];
            for (int i = 0; i < numPos; i++) {
                posMask[positive[perm1[i]]] = 1;
            }
            for (int i = 0; i < numNeg; i++) {
                negMask[negative[perm2[i]]] = 1;
            }
            pos.add(mask(matched, posMask));
            neg.add(mask(matched, negMask));
        }
        return new Sample(pos, neg);
    }

    /** torchvision's {@code torch.where(torch.cat(masks))[0]}: selected positions across the images, in order. */
    public static long[] indices(List<NDArray> masks) {
        int total = 0;
        List<byte[]> bytes = new ArrayList<>();
        for (NDArray mask : masks) {
            byte[] b = mask.toByteArray();
            bytes.add(b);
            for (byte v : b) total += v != 0 ? 1 : 0;
        }
        long[] out = new long[total];
        int k = 0;
        long offset = 0;
        for (byte[] b : bytes) {
            for (int i = 0; i < b.length; i++) if (b[i] != 0) out[k++] = offset + i;
            offset += b.length;
        }
        return out;
    }

    private static int[] where(long[] m, boolean positive) {
        int count = 0;
        for (long v : m) {
            if (positive ? v >= 1 : v == 0) {
                count++;
            }
        }
        int[] idx = new int[count];
        int k = 0;
        for (int i = 0; i < m.length; i++) {
            if (positive ? m[i] >= 1 : m[i] == 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    private static NDArray mask(NDArray like, byte[] values) {
        NDArray a = like.getManager().create(java.nio.ByteBuffer.wrap(values), new Shape(values.length), DataType.UINT8);
        if (a.getDevice().equals(like.getDevice())) {
            return a;
        }
        try (a) {
            return a.toDevice(like.getDevice(), false);
        }
    }
}
