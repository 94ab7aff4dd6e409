package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.data.ShapesVideo;
import io.resdet.detector.ops.AnchorGenerator;
import io.resdet.detector.ops.RoIAlign;
import io.resdet.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float16 inference ({@code --half}) and the device-side input path. This machine has no GPU, so the float16
 * network runs on libtorch's CPU kernels here (the model-level {@link FasterRCNN#toHalf()} allows it; the builder,
 * which users reach, refuses the CPU). What the float32 islands promise is checked exactly; the network as a whole
 * is compared with float32 within float16's precision.
 */
class HalfPrecisionTest {
    @Test
    void builderRefusesHalfOnTheCpuInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Detector.builder().optDevice("cpu").optHalf(true).build());
        assertEquals("--half needs a GPU: the detector runs on the CPU here (device cpu), where float16 convolutions are"
                + " slower than float32 and gain nothing; drop --half", e.getMessage());
    }

    @Test
    void halfNetworkFindsWhatFloat32Finds() throws Exception {
        ShapesVideo video = new ShapesVideo(320, 240, 3, 5, 7L, true);
        List<RgbImage> frames = List.of(video.frame(0).image(), video.frame(3).image());
        try (Detector f32 = Detector.builder().optDevice("cpu").optScoreThreshold(0.5f).build();
             Detector f16 = Detector.builder().optDevice("cpu").optScoreThreshold(0.5f).build()) {
            f16.model().toHalf();
            assertTrue(f16.half());
            assertEquals(DataType.FLOAT16, f16.model().namedTensors().get("backbone.body.conv1.weight").get().getDataType());
            List<List<Detection>> want = f32.detect(frames), got = f16.detect(frames);
            int compared = 0;
            for (int i = 0; i < frames.size(); i++) {
                List<Detection> w = want.get(i), g = got.get(i);
                assertEquals(w.size(), g.size(), "frame " + i + ": " + w + " vs " + g);
                for (int k = 0; k < w.size(); k++) {
                    Detection a = w.get(k), b = g.get(k);
                    assertEquals(a.label(), b.label(), "frame " + i + " detection " + k);
                    assertEquals(a.score(), b.score(), 0.02, "frame " + i + " detection " + k);
                    assertTrue(iou(a, b) > 0.97, "frame " + i + " detection " + k + ": " + a + " vs " + b);
                    compared++;
                }
            }
            assertTrue(compared >= 3, "only " + compared + " detections to compare");
        }
    }

    @Test
    void roiAlignSumsFloat16FeaturesInFloat32() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray f16 = m.randomUniform(-4f, 4f, new Shape(1, 8, 20, 24)).toType(DataType.FLOAT16, false);
            NDArray boxes = m.create(new float[] {1.3f, 2.2f, 15.7f, 11.1f, 0f, 0f, 23f, 19f, 7.5f, 3.25f, 9.5f, 18f}, new Shape(3, 4));
            NDArray got = RoIAlign.roiAlign(f16, List.of(boxes), 7, 7, 1.0, 2, false);
            NDArray want = RoIAlign.roiAlign(f16.toType(DataType.FLOAT32, false), List.of(boxes), 7, 7, 1.0, 2, false)
                    .toType(DataType.FLOAT16, false);
            assertEquals(DataType.FLOAT16, got.getDataType());
            assertArrayEquals(want.toType(DataType.FLOAT32, false).toFloatArray(), got.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void anchorsStayFloat32ForFloat16Features() {
        try (NDManager m = NDManager.newBaseManager()) {
            AnchorGenerator gen = AnchorGenerator.fpnDefault();
            NDList f32 = new NDList(), f16 = new NDList();
            long[][] grids = {{200, 304}, {100, 152}, {50, 76}, {25, 38}, {13, 19}};
            for (long[] g : grids) {
                NDArray f = m.zeros(new Shape(1, 1, g[0], g[1]));
                f32.add(f);
                f16.add(f.toType(DataType.FLOAT16, false));
            }
            NDArray want = gen.forward(800, 1216, 1, f32).get(0);
            NDArray got = gen.forward(800, 1216, 1, f16).get(0);
            assertEquals(DataType.FLOAT32, got.getDataType());
            assertArrayEquals(want.toFloatArray(), got.toFloatArray());
        }
    }

    @Test
    void toTensorEqualsToTensorsArithmeticExactly() {
        int w = 37, h = 23;
        byte[] px = new byte[w * h * 3];
        new java.util.Random(11).nextBytes(px);
        px[0] = 0;
        px[1] = (byte) 255;
        px[2] = (byte) 128;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = GeneralizedRCNNTransform.toTensor(m, new RgbImage(w, h, px));
            assertEquals(new Shape(3, h, w), t.getShape());
            assertEquals(DataType.FLOAT32, t.getDataType());
            float[] got = t.toFloatArray();
            List<String> wrong = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < w * h; i++) {
                    float want = (px[i * 3 + c] & 0xff) / 255f;
                    if (Float.floatToIntBits(got[c * w * h + i]) != Float.floatToIntBits(want) && wrong.size() < 5) {
                        wrong.add("c" + c + " px" + i + ": " + got[c * w * h + i] + " != " + want);
                    }
                }
            }
            assertEquals(List.of(), wrong);
        }
    }

    private static double iou(Detection a, Detection b) {
        double iw = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double ih = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = iw * ih;
        double ua = (a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - inter;
        return inter / ua;
    }
}
