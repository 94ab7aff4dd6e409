package io.resdet.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlopsTest {
    @Test
    void countsConvolutionAndLinearMultiplyAddsFromTheShapesSeen() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, 4, 8, 3, 2, 1, 2, false); // groups 2: each output sees 2 input channels
            Linear fc = new Linear(m, 5, 3);
            var counted = Flops.count(() -> {
                conv.forward(m.ones(new Shape(1, 4, 10, 10))); // output 8 × 5 × 5, each 2 × 3 × 3 multiply-adds
                return fc.forward(m.ones(new Shape(2, 5))); // 2 × 3 outputs, 5 each
            });
            assertEquals(8 * 5 * 5 * 2 * 3 * 3 + 2 * 3 * 5, counted.multiplyAdds());
            assertEquals(2.0 * counted.multiplyAdds(), counted.flops());
            assertEquals(0, Flops.count(() -> 1).multiplyAdds(), "nothing counted outside a count");
        }
    }
}
