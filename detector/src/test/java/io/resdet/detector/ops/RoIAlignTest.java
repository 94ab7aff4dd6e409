package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.resdet.testing.OracleArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RoIAlign} against {@code torchvision.ops.roi_align}, forward and gradient w.r.t. the features. */
class RoIAlignTest {
    /** Cases: name, output h, output w, spatial scale, sampling ratio, aligned. */
    private static final Object[][] CASES = {
        {"s2", 7, 7, 0.25, 2, false},
        {"adaptive", 7, 7, 0.25, -1, false},
        {"aligned", 7, 7, 0.5, 2, true},
        {"aligned_adaptive", 3, 5, 0.5, 0, true},
        {"rect", 2, 4, 1.0, 3, false},
    };

    // Boxes in image coordinates for a 2 × 3 × 13 × 17 map: random ones reaching past every border,
    // tiny and degenerate ones, and a few exact hand-placed edge cases.
    private static final String SCRIPT = """
            import sys, numpy as np, torch
            from torchvision.ops import roi_align
            torch.manual_seed(0)
            x = torch.randn(2, 3, 13, 17)
            k = 60
            xy = torch.rand(k, 2) * 90 - 15
            wh = torch.rand(k, 2) * 60
            wh[:10] *= 0.02
            boxes = torch.cat([xy, xy + wh], 1)
            extra = torch.tensor([[0., 0., 0., 0.], [-4., -4., -1., -1.], [67., 51., 80., 60.], [0., 0., 68., 52.],
                                  [10., 10., 9., 30.], [-40., -40., 200., 200.]])
            boxes = torch.cat([boxes, extra])
            idx = (torch.arange(len(boxes)) % 2).float()[:, None]
            rois = torch.cat([idx, boxes], 1)
            out = {"x": x.numpy(), "rois": rois.numpy()}
            cases = [("s2", 7, 7, 0.25, 2, False), ("adaptive", 7, 7, 0.25, -1, False), ("aligned", 7, 7, 0.5, 2, True),
                     ("aligned_adaptive", 3, 5, 0.5, 0, True), ("rect", 2, 4, 1.0, 3, False)]
            for name, oh, ow, sc, sr, al in cases:
                xg = x.clone().requires_grad_(True)
                y = roi_align(xg, rois, (oh, ow), spatial_scale=sc, sampling_ratio=sr, aligned=al)
                g = torch.randn(y.shape)
                (y * g).sum().backward()
                out[name + "_y"] = y.detach().numpy()
                out[name + "_g"] = g.numpy()
                out[name + "_grad"] = xg.grad.numpy()
            np.savez(sys.argv[1], **out)
            """;

    @RegisterExtension
    static final OracleArrays data = new OracleArrays(SCRIPT);

    @Test
    void forwardAndBackwardMatchTorchvision() {
        for (Object[] c : CASES) {
            String name = (String) c[0];
            try (NDManager m = data.manager().newSubManager()) {
                NDArray x = data.get("x").duplicate();
                x.attach(m);
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = RoIAlign.roiAlign(x, data.get("rois"), (int) c[1], (int) c[2], (double) c[3], (int) c[4],
                            (boolean) c[5]);
                    gc.backward(y.mul(data.get(name + "_g")).sum());
                }
                assertClose(data.get(name + "_y"), y, 1e-5, 1e-5, name + " forward");
                assertClose(data.get(name + "_grad"), x.getGradient(), 1e-5, 1e-5, name + " grad");
            }
        }
    }

    @Test
    void perImageBoxListsEqualBatchIndexedRois() {
        NDArray rois = data.get("rois");
        try (NDManager m = data.manager().newSubManager()) {
            NDArray x = data.get("x");
            long k = rois.getShape().get(0);
            // Image 0 holds the even rows, image 1 the odd ones; compare against the same rows in RoI format.
            NDArray even = rois.get("0::2, 1:");
            NDArray odd = rois.get("1::2, 1:");
            NDArray y = RoIAlign.roiAlign(x, java.util.List.of(even, odd), 7, 7, 0.25, 2, false);
            NDArray order = m.arange(0, (int) k, 2).concat(m.arange(1, (int) k, 2));
            NDArray expected = RoIAlign.roiAlign(x, rois, 7, 7, 0.25, 2, false).get(order);
            ArrayAsserts.assertExactlyEqual(expected, y, "per-image lists");
        }
    }
}
