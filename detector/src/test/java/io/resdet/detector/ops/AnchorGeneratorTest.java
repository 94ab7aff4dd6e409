package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertExactlyEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.testing.OracleArrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AnchorGenerator} against torchvision's for odd image sizes padded to multiples of 32. */
class AnchorGeneratorTest {
    /** Padded batch sizes: 333×517 → 352×544 and a non-square one whose levels do not divide evenly. */
    private static final long[][] IMAGES = {{352, 544}, {800, 1216}, {224, 96}};

    private static final String SCRIPT = """
            import sys, numpy as np, torch
            from torchvision.models.detection.anchor_utils import AnchorGenerator
            from torchvision.models.detection.image_list import ImageList
            gen = AnchorGenerator(((32,), (64,), (128,), (256,), (512,)), ((0.5, 1.0, 2.0),) * 5)
            out = {}
            for h, w in ((352, 544), (800, 1216), (224, 96)):
                images = ImageList(torch.zeros(2, 3, h, w), [(h - 19, w - 27), (h, w)])
                feats, fh, fw = [], h, w
                for _ in range(5):
                    fh, fw = (fh + 1) // 2 if _ else fh // 4, (fw + 1) // 2 if _ else fw // 4
                    feats.append(torch.zeros(2, 1, fh, fw))
                anchors = gen(images, feats)
                out[f"anchors_{h}_{w}"] = anchors[0].numpy()
                out[f"anchors1_{h}_{w}"] = anchors[1].numpy()
                out[f"sizes_{h}_{w}"] = np.array([[f.shape[-2], f.shape[-1]] for f in feats])
            out["cell"] = torch.cat(gen.cell_anchors).numpy()
            np.savez(sys.argv[1], **out)
            """;

    @RegisterExtension
    static final OracleArrays d = new OracleArrays(SCRIPT);

    @Test
    void cellAnchorsEqualTorchvision() {
        AnchorGenerator gen = AnchorGenerator.fpnDefault();
        float[] expected = d.get("cell").toFloatArray();
        float[] actual = new float[expected.length];
        int off = 0;
        for (int l = 0; l < 5; l++) {
            float[] c = gen.cellAnchors(l);
            System.arraycopy(c, 0, actual, off, c.length);
            off += c.length;
        }
        assertArrayEquals(expected, actual);
        assertArrayEquals(new int[] {3, 3, 3, 3, 3}, gen.numAnchorsPerLocation());
    }

    @Test
    void gridAnchorsEqualTorchvisionExactly() {
        AnchorGenerator gen = AnchorGenerator.fpnDefault();
        for (long[] image : IMAGES) {
            String key = image[0] + "_" + image[1];
            long[] sizes = d.get("sizes_" + key).toLongArray();
            try (NDManager m = d.manager().newSubManager()) {
                NDList feats = new NDList();
                for (int l = 0; l < 5; l++) {
                    feats.add(m.zeros(new Shape(2, 1, sizes[2 * l], sizes[2 * l + 1])));
                }
                List<NDArray> anchors = gen.forward(image[0], image[1], 2, feats);
                assertEquals(2, anchors.size());
                assertExactlyEqual(d.get("anchors_" + key), anchors.get(0), "image 0 of " + key);
                assertExactlyEqual(d.get("anchors1_" + key), anchors.get(1), "image 1 of " + key);
            }
        }
    }
}
