package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertExactlyEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.resdet.testing.OracleArrays;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BalancedPositiveNegativeSampler} against torchvision's, replaying torch's random permutations. */
class BalancedPositiveNegativeSamplerTest {
    private static final String SCRIPT = """
            import sys, numpy as np, torch
            from torchvision.models.detection._utils import BalancedPositiveNegativeSampler
            torch.manual_seed(5)
            # image 0: plenty of both; image 1: few positives (negatives fill up); image 2: few negatives
            m0 = torch.randint(-2, 6, (500,))
            m1 = torch.where(torch.rand(300) < 0.02, torch.randint(1, 4, (300,)), torch.randint(-2, 1, (300,)))
            m2 = torch.where(torch.rand(200) < 0.05, torch.zeros(200, dtype=torch.int64), torch.randint(-2, 6, (200,)))
            m2[m2 == 0] = 3
            m2[:4] = 0
            matched = [m0, m1, m2]
            torch.manual_seed(6)
            pos, neg = BalancedPositiveNegativeSampler(64, 0.25)(matched)
            # replay the draws: per image randperm(#positives) then randperm(#negatives)
            torch.manual_seed(6)
            perms = []
            for m in matched:
                perms.append(torch.randperm(int((m >= 1).sum())))
                perms.append(torch.randperm(int((m == 0).sum())))
            out = {}
            for i in range(3):
                out[f"m{i}"], out[f"pos{i}"], out[f"neg{i}"] = matched[i].numpy(), pos[i].numpy(), neg[i].numpy()
            for i, p in enumerate(perms):
                out[f"perm{i}"] = p.numpy()
            np.savez(sys.argv[1], **out)
            """;

    @RegisterExtension
    static final OracleArrays d = new OracleArrays(SCRIPT);

    private static List<NDArray> matched() {
        return List.of(d.get("m0"), d.get("m1"), d.get("m2"));
    }

    @Test
    void replayingTorchPermutationsReproducesTorchvisionsMasks() {
        Deque<int[]> perms = new ArrayDeque<>();
        for (int i = 0; i < 6; i++) {
            perms.add(d.get("perm" + i).toType(DataType.INT32, false).toIntArray());
        }
        var sampler = new BalancedPositiveNegativeSampler(64, 0.25, n -> {
            int[] p = perms.poll();
            assertEquals(n, p.length, "permutation length");
            return p;
        });
        var sample = sampler.sample(matched());
        for (int i = 0; i < 3; i++) {
            assertExactlyEqual(d.get("pos" + i), sample.positive().get(i), "positives of image " + i);
            assertExactlyEqual(d.get("neg" + i), sample.negative().get(i), "negatives of image " + i);
        }
    }

    @Test
    void seededSamplingIsReproducibleAndBalanced() {
        var a = new BalancedPositiveNegativeSampler(64, 0.25, 42L).sample(matched());
        var b = new BalancedPositiveNegativeSampler(64, 0.25, 42L).sample(matched());
        var c = new BalancedPositiveNegativeSampler(64, 0.25, 43L).sample(matched());
        for (int i = 0; i < 3; i++) {
            long[] m = d.get("m" + i).toLongArray();
            byte[] pos = a.positive().get(i).toByteArray();
            byte[] neg = a.negative().get(i).toByteArray();
            assertArrayEquals(pos, b.positive().get(i).toByteArray(), "same seed, same positives");
            assertArrayEquals(neg, b.negative().get(i).toByteArray(), "same seed, same negatives");
            int nPos = 0;
            int nNeg = 0;
            int availablePos = 0;
            int availableNeg = 0;
            for (int j = 0; j < m.length; j++) {
                availablePos += m[j] >= 1 ? 1 : 0;
                availableNeg += m[j] == 0 ? 1 : 0;
                assertTrue(pos[j] == 0 || m[j] >= 1, "positives are matched");
                assertTrue(neg[j] == 0 || m[j] == 0, "negatives are background");
                nPos += pos[j];
                nNeg += neg[j];
            }
            assertEquals(Math.min(availablePos, 16), nPos, "positives of image " + i);
            assertEquals(Math.min(availableNeg, 64 - nPos), nNeg, "negatives of image " + i);
        }
        assertNotEquals(java.util.Arrays.toString(a.negative().get(0).toByteArray()),
                java.util.Arrays.toString(c.negative().get(0).toByteArray()), "another seed draws differently");
    }
}
