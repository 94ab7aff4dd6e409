package io.resdet.detector.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every op leaves its input manager holding exactly the inputs plus the returned arrays. */
class NoLeaksTest {
    private static NDManager root;

    @BeforeAll
    static void open() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    private static NDArray boxes(NDManager m, int n) {
        NDArray xy = m.randomUniform(0f, 300f, new Shape(n, 2));
        return xy.concat(xy.add(m.randomUniform(1f, 100f, new Shape(n, 2))), 1);
    }

    private static void assertNoLeak(String what, Function<NDManager, NDList> setup, Function<NDList, NDList> op) {
        try (NDManager m = root.newSubManager()) {
            NDList inputs = setup.apply(m);
            int before = m.getManagedArrays().size();
            NDList out = op.apply(inputs);
            int returned = out.size();
            assertEquals(before + returned, m.getManagedArrays().size(), what + ": arrays left behind");
            out.close();
            assertEquals(before, m.getManagedArrays().size(), what + ": results not attached to the input manager");
        }
    }

    @Test
    void boxOpsBoxCoderAndMatcherCloseTheirIntermediates() {
        Function<NDManager, NDList> two = m -> new NDList(boxes(m, 30), boxes(m, 30), m.randomUniform(0f, 1f, new Shape(30)),
                m.randomInteger(0, 3, new Shape(30), DataType.INT32));
        assertNoLeak("boxArea", two, in -> new NDList(BoxOps.boxArea(in.get(0))));
        assertNoLeak("boxIou", two, in -> new NDList(BoxOps.boxIou(in.get(0), in.get(1))));
        assertNoLeak("clip", two, in -> new NDList(BoxOps.clipBoxesToImage(in.get(0), 100, 200)));
        assertNoLeak("removeSmallBoxes", two, in -> new NDList(BoxOps.removeSmallBoxes(in.get(0), 50f)));
        assertNoLeak("nms", two, in -> new NDList(BoxOps.nms(in.get(0), in.get(2), 0.5)));
        assertNoLeak("batchedNms", two, in -> new NDList(BoxOps.batchedNms(in.get(0), in.get(2), in.get(3), 0.5)));
        assertNoLeak("encode", two, in -> new NDList(BoxCoder.roiHeads().encodeSingle(in.get(0), in.get(1))));
        assertNoLeak("decode", m -> new NDList(m.randomNormal(new Shape(30, 8)), boxes(m, 30)),
                in -> new NDList(BoxCoder.roiHeads().decodeSingle(in.get(0), in.get(1))));
        assertNoLeak("matcher", m -> new NDList(BoxOps.boxIou(boxes(m, 4), boxes(m, 40))),
                in -> new NDList(new Matcher(0.7, 0.3, true).match(in.get(0))));
        assertNoLeak("sampler", m -> new NDList(m.randomInteger(-2, 3, new Shape(50), DataType.INT32)), in -> {
            var s = new BalancedPositiveNegativeSampler(16, 0.25, 1L).sample(List.of(in.get(0)));
            return new NDList(s.positive().get(0), s.negative().get(0));
        });
    }

    @Test
    void anchorsAndRoIAlignCloseTheirIntermediates() {
        assertNoLeak("anchors", m -> new NDList(m.zeros(new Shape(2, 1, 8, 10)), m.zeros(new Shape(2, 1, 4, 5))), in -> {
            AnchorGenerator gen = new AnchorGenerator(new int[][] {{32}, {64}}, new double[][] {{0.5, 1, 2}, {1}});
            return new NDList(gen.forward(32, 40, 2, in));
        });
        assertNoLeak("roiAlign", m -> new NDList(m.randomNormal(new Shape(2, 3, 16, 16)),
                boxes(m, 5), boxes(m, 7)),
                in -> new NDList(RoIAlign.roiAlign(in.get(0), List.of(in.get(1), in.get(2)), 7, 7, 0.25, 2, false)));
        assertNoLeak("multiScale", m -> new NDList(m.randomNormal(new Shape(1, 3, 64, 64)),
                m.randomNormal(new Shape(1, 3, 32, 32)), boxes(m, 9)), in -> {
                    Map<String, NDArray> x = new LinkedHashMap<>();
                    x.put("0", in.get(0));
                    x.put("1", in.get(1));
                    var pooler = new MultiScaleRoIAlign(List.of("0", "1"), 7, 7, 2, 224, 4);
                    return new NDList(pooler.forward(x, List.of(in.get(2)), List.of(new long[] {256, 256})));
                });
    }
}
