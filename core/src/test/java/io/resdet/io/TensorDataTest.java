package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.resdet.testing.Oracle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TensorDataTest {
    @Test
    void halfToFloatMatchesTorchForAll65536BitPatterns() {
        String b64 = Oracle.run("""
                import base64, torch
                h = torch.arange(65536, dtype=torch.int32).to(torch.int16).view(torch.float16)
                print(base64.b64encode(h.float().numpy().tobytes()).decode())
                """).strip();
        ByteBuffer torch = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer halves = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 65536; i++) halves.putShort((short) i);
        halves.flip();

        float[] mine = TensorData.of(DType.FLOAT16, new long[] {65536}, halves).toFloatArray();

        for (int i = 0; i < 65536; i++) {
            int want = torch.getInt(i * 4);
            assertEquals(want, Float.floatToRawIntBits(mine[i]), "half bits 0x" + Integer.toHexString(i));
        }
    }

    @Test
    void conversionsOfEachDtype() {
        ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3fc0).putShort((short) 0xc000).flip();
        assertArrayEquals(new float[] {1.5f, -2f}, TensorData.of(DType.BFLOAT16, new long[] {2}, bf16).toFloatArray());

        TensorData u8 = TensorData.ofBytes(DType.UINT8, new long[] {3}, new byte[] {0, 127, (byte) 255});
        assertArrayEquals(new long[] {0, 127, 255}, u8.toLongArray());
        TensorData i8 = TensorData.ofBytes(DType.INT8, new long[] {3}, new byte[] {0, 127, (byte) 255});
        assertArrayEquals(new long[] {0, 127, -1}, i8.toLongArray());
        assertArrayEquals(new float[] {0, 127, -1}, i8.toFloatArray());

        TensorData bools = TensorData.ofBooleans(new long[] {3}, new boolean[] {true, false, true});
        assertArrayEquals(new long[] {1, 0, 1}, bools.toLongArray());
        assertArrayEquals(new double[] {1, 0, 1}, bools.toDoubleArray());

        TensorData longs = TensorData.ofLongs(new long[] {2}, new long[] {Long.MIN_VALUE, (1L << 53) + 1});
        assertArrayEquals(new long[] {Long.MIN_VALUE, (1L << 53) + 1}, longs.toLongArray());
        assertArrayEquals(new double[] {-0x1p63, 0x1p53}, longs.toDoubleArray());

        TensorData doubles = TensorData.ofDoubles(new long[] {2}, new double[] {0.1, 1e300});
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, doubles.toFloatArray());
        assertArrayEquals(new double[] {0.1, 1e300}, doubles.toDoubleArray());

        TensorData ints = TensorData.ofInts(new long[] {2, 1}, new int[] {-7, Integer.MAX_VALUE});
        assertArrayEquals(new float[] {-7f, 2147483648f}, ints.asFloat32().toFloatArray());
        assertEquals(DType.FLOAT32, ints.asFloat32().dtype());
        assertArrayEquals(new long[] {2, 1}, ints.asFloat32().shape());
    }

    @Test
    void shapesAndNumel() {
        TensorData scalar = TensorData.ofFloats(new long[0], new float[] {3.25f});
        assertEquals(1, scalar.numel());
        assertEquals(0, scalar.rank());
        TensorData empty = TensorData.ofFloats(new long[] {0, 3}, new float[0]);
        assertEquals(0, empty.numel());
        assertEquals(0, empty.toFloatArray().length);
        assertEquals(24, TensorData.ofFloats(new long[] {2, 3}, new float[6]).byteSize());
    }

    @Test
    void rejectsDataThatDoesNotFitTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofFloats(new long[] {2, 2}, new float[3]));
        assertEquals("shape [2, 2] of FLOAT32 needs 4 elements but got 12 bytes", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new long[] {-1}, new float[0]));
    }

    @Test
    void toLongArrayRefusesFloats() {
        TensorData f = TensorData.ofFloats(new long[] {1}, new float[] {1.9f});
        IllegalStateException e = assertThrows(IllegalStateException.class, f::toLongArray);
        assertEquals("toLongArray() on a FLOAT32 tensor; use toDoubleArray()", e.getMessage());
    }

    @Test
    void isImmutable() {
        float[] values = {1, 2};
        long[] shape = {2};
        TensorData t = TensorData.ofFloats(shape, values);
        values[0] = 9;
        shape[0] = 7;
        t.shape()[0] = 5;
        assertArrayEquals(new float[] {1, 2}, t.toFloatArray());
        assertArrayEquals(new long[] {2}, t.shape());
        assertTrue(t.data().isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> t.data().putFloat(0, 3f));
        assertSame(t, t.asFloat32());
    }

    @Test
    void equalityIsByDtypeShapeAndBytes() {
        TensorData a = TensorData.ofFloats(new long[] {2}, new float[] {1, 2});
        assertEquals(a, TensorData.ofFloats(new long[] {2}, new float[] {1, 2}));
        assertEquals(a.hashCode(), TensorData.ofFloats(new long[] {2}, new float[] {1, 2}).hashCode());
        assertNotEquals(a, TensorData.ofFloats(new long[] {1, 2}, new float[] {1, 2}));
        assertNotEquals(a, TensorData.ofInts(new long[] {2}, new int[] {Float.floatToIntBits(1), Float.floatToIntBits(2)}));
    }
}
