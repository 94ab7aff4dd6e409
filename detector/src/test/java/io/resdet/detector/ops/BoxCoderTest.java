package io.resdet.detector.ops;

import static io.resdet.detector.ops.ArrayAsserts.assertClose;

import ai.djl.ndarray.NDArray;
import io.resdet.testing.OracleArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BoxCoder} against torchvision's {@code BoxCoder} for the RPN and RoI-head weights. */
class BoxCoderTest {
    private static final String SCRIPT = """
            import sys, math, numpy as np, torch
            from torchvision.models.detection._utils import BoxCoder
            torch.manual_seed(2)
            out = {}
            def rand_boxes(n):
                xy = torch.rand(n, 2) * 800
                return torch.cat([xy, xy + 1 + torch.rand(n, 2) * 300], 1)
            ref, prop = rand_boxes(500), rand_boxes(500)
            out["ref"], out["prop"] = ref.numpy(), prop.numpy()
            for name, w in (("rpn", (1., 1., 1., 1.)), ("roi", (10., 10., 5., 5.))):
                coder = BoxCoder(w)
                out[name + "_enc"] = coder.encode_single(ref, prop).numpy()
                # deltas for 3 "classes" per box, some beyond the exp clamp log(1000/16)
                codes = torch.randn(500, 12) * 2
                codes[:20, 2::4] = 9.0 * w[2]
                codes[20:40, 3::4] = 7.0 * w[3]
                out[name + "_codes"] = codes.numpy()
                out[name + "_dec"] = coder.decode_single(codes, prop).numpy()
                out[name + "_dec_list"] = coder.decode(codes, [prop[:200], prop[200:]]).numpy()
            np.savez(sys.argv[1], **out)
            """;

    @RegisterExtension
    static final OracleArrays d = new OracleArrays(SCRIPT);

    @Test
    void encodeMatchesTorchvision() {
        assertClose(d.get("rpn_enc"), BoxCoder.rpn().encodeSingle(d.get("ref"), d.get("prop")), 1e-5, 1e-5, "rpn");
        assertClose(d.get("roi_enc"), BoxCoder.roiHeads().encodeSingle(d.get("ref"), d.get("prop")), 1e-5, 1e-5, "roi");
    }

    @Test
    void decodeMatchesTorchvisionIncludingClampedSizes() {
        for (String name : new String[] {"rpn", "roi"}) {
            BoxCoder coder = name.equals("rpn") ? BoxCoder.rpn() : BoxCoder.roiHeads();
            NDArray dec = coder.decodeSingle(d.get(name + "_codes"), d.get("prop"));
            // Coordinates reach ~1e5 after the clamp; 1e-5 relative is a few float ulps there.
            assertClose(d.get(name + "_dec"), dec, 1e-5, 1e-4, name);
            assertClose(d.get(name + "_dec_list"), dec.reshape(500, 3, 4), 1e-5, 1e-4, name + " (N, K, 4)");
        }
    }

    @Test
    void decodeInvertsEncode() {
        for (BoxCoder coder : new BoxCoder[] {BoxCoder.rpn(), BoxCoder.roiHeads()}) {
            NDArray deltas = coder.encodeSingle(d.get("ref"), d.get("prop"));
            assertClose(d.get("ref"), coder.decodeSingle(deltas, d.get("prop")), 1e-5, 1e-3, "round trip");
        }
    }
}
