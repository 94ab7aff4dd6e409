package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemoryFormatTest {
    @Test
    void channelsLastIsTheSameTensorAndConvolvesTheSame() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(2, 3, 5, 7));
            NDArray cl = MemoryFormat.channelsLast(x);
            assertEquals(x.getShape(), cl.getShape());
            assertArrayEquals(x.toFloatArray(), cl.toFloatArray(), 0f);
            Conv2d conv = new Conv2d(m, 3, 4, 3, 1, 1, 1, true);
            float[] plain = conv.forward(x).toFloatArray();
            conv.weight().set(MemoryFormat.channelsLast(conv.weight().get()));
            assertArrayEquals(plain, conv.forward(cl).toFloatArray(), 1e-5f);
            assertArrayEquals(plain, conv.forward(x).toFloatArray(), 1e-5f);
            assertThrows(IllegalArgumentException.class, () -> MemoryFormat.channelsLast(m.ones(new Shape(3, 4))));
        }
    }

    /**
     * A 1×1 kernel's weights are channels-last already, so the permute-and-flatten is a view; loaded weights live in a
     * Java buffer (DJL's {@code set(ByteBuffer)} keeps it as the tensor's memory). The result must survive the
     * original's close and the collection of its buffer.
     */
    @Test
    void theResultOwnsItsMemoryWhenTheInputLivesInAJavaBuffer() throws Exception {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] want = new float[64 * 32];
            for (int i = 0; i < want.length; i++) want[i] = i + 1;
            NDArray w = m.create(new Shape(64, 32, 1, 1));
            w.set(direct(want, 0));
            NDArray cl = MemoryFormat.channelsLast(w);
            w.close();
            w = null;
            java.util.List<java.nio.ByteBuffer> churn = new java.util.ArrayList<>();
            for (int round = 0; round < 20; round++) {
                System.gc();
                Thread.sleep(20);
                for (int k = 0; k < 50; k++) churn.add(direct(new float[want.length], -7f));
            }
            assertArrayEquals(want, cl.toFloatArray(), 0f);
        }
    }

    private static java.nio.ByteBuffer direct(float[] v, float fill) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(v.length * 4).order(java.nio.ByteOrder.nativeOrder());
        for (float f : v) b.putFloat(fill == 0 ? f : fill);
        return b.flip();
    }
}
