package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertExactlyEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.resdet.testing.OracleArrays;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BoxOps} against {@code torchvision.ops} on seeded random and degenerate boxes. */
class BoxOpsTest {
    private static final int[] NMS_SIZES = {10, 100, 1000, 4000};
    private static final double[] NMS_THRESHOLDS = {0.3, 0.5, 0.7};

    private static final String SCRIPT = """
            import sys, numpy as np, torch
            from torchvision.ops import box_area, box_iou, clip_boxes_to_image, remove_small_boxes, nms, batched_nms
            torch.manual_seed(1)
            out = {}
            def rand_boxes(n, extent=800., size=200.):
                xy = torch.rand(n, 2) * extent
                return torch.cat([xy, xy + torch.rand(n, 2) * size], 1)
            a, b = rand_boxes(50), rand_boxes(70)
            # degenerate: zero width, zero area, identical, touching edges, nested, disjoint
            degenerate = torch.tensor([[5., 5., 5., 9.], [3., 3., 3., 3.], [0., 0., 10., 10.], [0., 0., 10., 10.],
                                       [10., 0., 20., 10.], [2., 2., 4., 4.], [500., 500., 501., 501.]])
            a = torch.cat([a, degenerate]); b = torch.cat([b, degenerate])
            out["a"], out["b"] = a.numpy(), b.numpy()
            out["area_a"] = box_area(a).numpy()
            out["iou"] = box_iou(a, b).numpy()
            c = rand_boxes(40, 900., 300.) - 100.
            out["c"] = c.numpy()
            out["clip"] = clip_boxes_to_image(c, (480, 640)).numpy()
            c3 = c.reshape(10, 4, 4)
            out["c3"] = c3.numpy()
            out["clip3"] = clip_boxes_to_image(c3, (333, 517)).numpy()
            small = rand_boxes(300, 100., 0.05)
            out["small"] = small.numpy()
            out["small_1e-3"] = remove_small_boxes(small, 1e-3).numpy()
            out["small_1e-2"] = remove_small_boxes(small, 1e-2).numpy()
            for n in (10, 100, 1000, 4000):
                boxes = rand_boxes(n)
                scores = torch.rand(n)
                out[f"nms_boxes_{n}"], out[f"nms_scores_{n}"] = boxes.numpy(), scores.numpy()
                for t in (0.3, 0.5, 0.7):
                    out[f"nms_{n}_{t}"] = nms(boxes, scores, t).numpy()
            # ties: clusters far apart, scores tied across clusters but distinct within one; plus exact duplicates
            centres = torch.stack(torch.meshgrid(torch.arange(10.), torch.arange(10.), indexing="ij"), -1).reshape(-1, 2) * 1000
            levels = torch.tensor([0.9, 0.8, 0.7, 0.6, 0.5])
            tb, ts = [], []
            for cxy in centres:
                jitter = torch.rand(5, 2) * 30
                boxes = torch.cat([cxy + jitter, cxy + jitter + 100], 1)
                tb.append(boxes); ts.append(levels[torch.randperm(5)])
                tb.append(boxes[:2]); ts.append(ts[-1][:2])
            tb, ts = torch.cat(tb), torch.cat(ts)
            perm = torch.randperm(len(tb))
            tb, ts = tb[perm], ts[perm]
            out["tie_boxes"], out["tie_scores"] = tb.numpy(), ts.numpy()
            out["tie_keep"] = nms(tb, ts, 0.5).numpy()
            for n, ncls in ((200, 5), (3000, 12)):
                boxes = rand_boxes(n)
                scores = torch.rand(n)
                idxs = torch.randint(0, ncls, (n,))
                out[f"bn_boxes_{n}"], out[f"bn_scores_{n}"], out[f"bn_idxs_{n}"] = boxes.numpy(), scores.numpy(), idxs.numpy()
                out[f"bn_keep_{n}"] = batched_nms(boxes, scores, idxs, 0.5).numpy()
            np.savez(sys.argv[1], **out)
            """;

    @RegisterExtension
    static final OracleArrays d = new OracleArrays(SCRIPT);

    @Test
    void boxAreaAndIouEqualTorchvisionIncludingDegenerateBoxes() {
        assertExactlyEqual(d.get("area_a"), BoxOps.boxArea(d.get("a")), "area");
        // Two zero-area boxes give 0/0 = NaN in torchvision as well; NaNs must coincide.
        assertExactlyEqual(d.get("iou"), BoxOps.boxIou(d.get("a"), d.get("b")), "iou");
    }

    @Test
    void clipBoxesToImageEqualsTorchvision() {
        assertExactlyEqual(d.get("clip"), BoxOps.clipBoxesToImage(d.get("c"), 480, 640), "clip (N, 4)");
        assertExactlyEqual(d.get("clip3"), BoxOps.clipBoxesToImage(d.get("c3"), 333, 517), "clip (N, K, 4)");
    }

    @Test
    void removeSmallBoxesEqualsTorchvision() {
        assertExactlyEqual(d.get("small_1e-3"), BoxOps.removeSmallBoxes(d.get("small"), 1e-3f), "min 1e-3");
        assertExactlyEqual(d.get("small_1e-2"), BoxOps.removeSmallBoxes(d.get("small"), 1e-2f), "min 1e-2");
    }

    @Test
    void nmsEqualsTorchvisionWithoutTies() {
        for (int n : NMS_SIZES) {
            for (double t : NMS_THRESHOLDS) {
                NDArray keep = BoxOps.nms(d.get("nms_boxes_" + n), d.get("nms_scores_" + n), t);
                assertExactlyEqual(d.get("nms_" + n + "_" + t), keep, "nms n=" + n + " t=" + t);
            }
        }
    }

    @Test
    void nmsWithTiedScoresKeepsTorchvisionsSetInScoreOrder() {
        NDArray boxes = d.get("tie_boxes");
        NDArray scores = d.get("tie_scores");
        long[] keep = BoxOps.nms(boxes, scores, 0.5).toLongArray();
        // Ties only occur between disjoint clusters or between exact duplicates, so the kept boxes are
        // order-independent; torchvision's order among equal scores is not, so compare coordinates as sets.
        assertEquals(rows(boxes, d.get("tie_keep").toLongArray()), rows(boxes, keep), "kept boxes");
        float[] s = scores.toFloatArray();
        for (int i = 1; i < keep.length; i++) {
            assertTrue(s[(int) keep[i - 1]] > s[(int) keep[i]]
                    || (s[(int) keep[i - 1]] == s[(int) keep[i]] && keep[i - 1] < keep[i]),
                    "descending score, ties by ascending index at " + i);
        }
    }

    @Test
    void nmsVisitsEqualScoresInAscendingIndexOrder() {
        // 0 and 1 tie and overlap (IoU 81/119 > 0.5): the lower index must survive. 2 and 3 tie with them
        // but are disjoint, so the output is the tie group in index order.
        float[] boxes = {0, 0, 10, 10, 1, 1, 11, 11, 100, 100, 110, 110, 50, 50, 60, 60};
        float[] scores = {0.5f, 0.5f, 0.5f, 0.5f};
        assertArrayEquals(new int[] {0, 2, 3}, BoxOps.nms(boxes, scores, null, 0.5));
        // At threshold 0.7 the pair no longer suppresses.
        assertArrayEquals(new int[] {0, 1, 2, 3}, BoxOps.nms(boxes, scores, null, 0.7));
    }

    @Test
    void nmsSuppressesOnlyAboveThresholdStrictly() {
        // IoU of these two is exactly 0.5 (intersection 50, union 100).
        float[] boxes = {0, 0, 10, 7.5f, 0, 2.5f, 10, 10};
        float[] scores = {0.9f, 0.8f};
        assertArrayEquals(new int[] {0, 1}, BoxOps.nms(boxes, scores, null, 0.5));
        assertArrayEquals(new int[] {0}, BoxOps.nms(boxes, scores, null, 0.49));
    }

    @Test
    void batchedNmsEqualsTorchvisionOnBothPaths() {
        // 200 boxes take torchvision's coordinate-offset path, 3000 its per-class path.
        for (int n : new int[] {200, 3000}) {
            NDArray keep = BoxOps.batchedNms(d.get("bn_boxes_" + n), d.get("bn_scores_" + n), d.get("bn_idxs_" + n), 0.5);
            assertExactlyEqual(d.get("bn_keep_" + n), keep, "batched_nms n=" + n);
        }
    }

    @Test
    void emptyInputsGiveEmptyResults() {
        NDArray boxes = d.manager().zeros(new ai.djl.ndarray.types.Shape(0, 4));
        NDArray scores = d.manager().zeros(new ai.djl.ndarray.types.Shape(0));
        assertEquals(0, BoxOps.nms(boxes, scores, 0.5).size());
        assertEquals(0, BoxOps.batchedNms(boxes, scores, scores, 0.5).size());
    }

    private static TreeSet<String> rows(NDArray boxes, long[] idx) {
        float[] b = boxes.toFloatArray();
        TreeSet<String> set = new TreeSet<>();
        for (long i : idx) {
            set.add(Arrays.toString(Arrays.copyOfRange(b, (int) (4 * i), (int) (4 * i + 4))));
        }
        return set;
    }
}
