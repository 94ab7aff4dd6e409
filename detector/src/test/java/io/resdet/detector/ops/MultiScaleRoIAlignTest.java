package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertClose;
import static io.resdet.detector.ops.ArrayAsserts.assertExactlyEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.resdet.testing.OracleArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MultiScaleRoIAlign} against torchvision's on a 4-level pyramid of a 2-image batch. */
class MultiScaleRoIAlignTest {
    private static final String[] NAMES = {"0", "1", "2", "3", "pool"};

    private static final String SCRIPT = """
            import sys, numpy as np, torch
            from collections import OrderedDict
            from torchvision.ops import MultiScaleRoIAlign
            from torchvision.ops.poolers import LevelMapper
            torch.manual_seed(7)
            shapes = [(300, 412), (320, 400)]  # padded batch 320 x 416
            x = OrderedDict()
            for name, (h, w) in zip(["0", "1", "2", "3", "pool"], [(80, 104), (40, 52), (20, 26), (10, 13), (5, 7)]):
                x[name] = torch.randn(2, 4, h, w)
            def rand_boxes(n):
                side = torch.exp(torch.rand(n, 2) * 4.5 + 1.5)   # about 4 .. 400 pixels
                xy = torch.rand(n, 2) * 420 - 20
                return torch.cat([xy, xy + side], 1)
            # sqrt(area) exactly 56, 112, 224, 448: the level boundaries of eq. 1
            edges = torch.tensor([[10., 10., 66., 66.], [0., 0., 112., 112.], [50., 20., 274., 244.], [0., 0., 448., 448.]])
            boxes = [torch.cat([rand_boxes(70), edges]), rand_boxes(45)]
            pooler = MultiScaleRoIAlign(["0", "1", "2", "3"], 7, 2)
            xg = OrderedDict((k, v.clone().requires_grad_(True)) for k, v in x.items())
            y = pooler(xg, boxes, shapes)
            g = torch.randn(y.shape)
            (y * g).sum().backward()
            out = {"y": y.detach().numpy(), "g": g.numpy(), "boxes0": boxes[0].numpy(), "boxes1": boxes[1].numpy()}
            for k in x:
                out["x" + k] = x[k].numpy()
                out["grad" + k] = xg[k].grad.numpy() if xg[k].grad is not None else np.zeros(x[k].shape, np.float32)
            out["levels"] = pooler.map_levels(boxes).numpy()
            out["scales"] = np.array(pooler.scales)
            np.savez(sys.argv[1], **out)
            """;

    @RegisterExtension
    static final OracleArrays d = new OracleArrays(SCRIPT);

    private static final List<long[]> SHAPES = List.of(new long[] {300, 412}, new long[] {320, 400});

    @Test
    void scalesAndLevelsEqualTorchvision() {
        MultiScaleRoIAlign pooler = MultiScaleRoIAlign.fasterRcnn();
        Map<String, NDArray> x = new LinkedHashMap<>();
        for (String n : NAMES) {
            x.put(n, d.get("x" + n));
        }
        double[] scales = pooler.scales(pooler.filter(x), SHAPES);
        assertArrayEquals(d.get("scales").toDoubleArray(), scales);
        NDArray boxes = d.get("boxes0").concat(d.get("boxes1"));
        assertExactlyEqual(d.get("levels"), pooler.levelMapper(scales).apply(boxes), "levels");
    }

    @Test
    void forwardAndBackwardMatchTorchvision() {
        try (NDManager m = d.manager().newSubManager()) {
            Map<String, NDArray> x = new LinkedHashMap<>();
            for (String n : NAMES) {
                NDArray f = d.get("x" + n).duplicate();
                f.attach(m);
                f.setRequiresGradient(true);
                x.put(n, f);
            }
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = MultiScaleRoIAlign.fasterRcnn().forward(x, List.of(d.get("boxes0"), d.get("boxes1")), SHAPES);
                gc.backward(y.mul(d.get("g")).sum());
            }
            assertClose(d.get("y"), y, 1e-5, 1e-5, "forward");
            for (String n : new String[] {"0", "1", "2", "3"}) {
                assertClose(d.get("grad" + n), x.get(n).getGradient(), 1e-5, 1e-5, "grad of level " + n);
            }
        }
    }

    @Test
    void singleLevelPoolsLikeRoIAlign() {
        Map<String, NDArray> x = new LinkedHashMap<>();
        x.put("0", d.get("x0"));
        MultiScaleRoIAlign pooler = new MultiScaleRoIAlign(List.of("0"), 5, 3, 2, 224, 4);
        NDArray y = pooler.forward(x, List.of(d.get("boxes0"), d.get("boxes1")), SHAPES);
        NDArray expected = RoIAlign.roiAlign(d.get("x0"), new NDList(d.get("boxes0"), d.get("boxes1")), 5, 3,
                0.25, 2, false);
        assertExactlyEqual(expected, y, "one level");
    }
}
