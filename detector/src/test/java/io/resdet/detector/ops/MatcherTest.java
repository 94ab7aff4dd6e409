package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertExactlyEqual;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.resdet.testing.OracleArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Matcher} against torchvision's {@code Matcher}, RPN and RoI-head settings, with ties. */
class MatcherTest {
    private static final String SCRIPT = """
            import sys, numpy as np, torch
            from torchvision.ops import box_iou
            from torchvision.models.detection._utils import Matcher
            torch.manual_seed(4)
            def rand_boxes(n, size):
                xy = torch.rand(n, 2) * 400
                return torch.cat([xy, xy + 5 + torch.rand(n, 2) * size], 1)
            gt = torch.cat([rand_boxes(8, 150), torch.tensor([[2000., 2000., 2010., 2010.]])])  # last gt overlaps nothing
            preds = rand_boxes(400, 150)
            iou = box_iou(gt, preds)
            # quantised qualities: ties in both directions (several gts per prediction, several predictions per gt)
            tied = (iou * 10).round() / 10
            out = {"iou": iou.numpy(), "tied": tied.numpy()}
            for name, q in (("iou", iou), ("tied", tied)):
                for hi, lo, allow in ((0.7, 0.3, True), (0.5, 0.5, False), (0.7, 0.3, False), (0.5, 0.4, True)):
                    out[f"{name}_{hi}_{lo}_{allow}"] = Matcher(hi, lo, allow)(q.clone()).numpy()
            np.savez(sys.argv[1], **out)
            """;

    private static final Object[][] SETTINGS = {
        {0.7, 0.3, true}, {0.5, 0.5, false}, {0.7, 0.3, false}, {0.5, 0.4, true},
    };

    @RegisterExtension
    static final OracleArrays d = new OracleArrays(SCRIPT);

    @Test
    void matchesEqualTorchvision() {
        for (String q : new String[] {"iou", "tied"}) {
            for (Object[] s : SETTINGS) {
                String key = q + "_" + s[0] + "_" + s[1] + "_" + (((boolean) s[2]) ? "True" : "False");
                NDArray matches = new Matcher((double) s[0], (double) s[1], (boolean) s[2]).match(d.get(q));
                assertExactlyEqual(d.get(key), matches, key);
            }
        }
    }

    @Test
    void emptyMatricesAreRejectedAsInTorchvision() {
        Matcher m = new Matcher(0.7, 0.3, true);
        assertThrows(IllegalArgumentException.class, () -> m.match(d.manager().zeros(new Shape(0, 5))));
        assertThrows(IllegalArgumentException.class, () -> m.match(d.manager().zeros(new Shape(3, 0))));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(0.3, 0.7, false));
    }
}
