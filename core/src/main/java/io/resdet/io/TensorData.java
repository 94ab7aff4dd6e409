package io.resdet.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable dense tensor: dtype, shape and contiguous row-major little-endian bytes.
 * A 0-dim tensor has an empty shape and one element.
 */
public final class TensorData {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    private TensorData(DType dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * Wraps {@code data} (its remaining bytes, which must be exactly numel × element size) without copying;
     * the caller must not modify it afterwards.
     */
    public static TensorData of(DType dtype, long[] shape, ByteBuffer data) {
        long[] s = shape.clone();
        long n = numel(s);
        if (n > Long.MAX_VALUE / dtype.byteSize() || n * dtype.byteSize() != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " of " + dtype + " needs "
                    + n + " elements but got " + data.remaining() + " bytes");
        }
        return new TensorData(dtype, s, data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN));
    }

    public static TensorData ofFloats(long[] shape, float[] values) {
        ByteBuffer b = allocate(values.length, DType.FLOAT32);
        b.asFloatBuffer().put(values);
        return of(DType.FLOAT32, shape, b);
    }

    public static TensorData ofDoubles(long[] shape, double[] values) {
        ByteBuffer b = allocate(values.length, DType.FLOAT64);
        b.asDoubleBuffer().put(values);
        return of(DType.FLOAT64, shape, b);
    }

    public static TensorData ofLongs(long[] shape, long[] values) {
        ByteBuffer b = allocate(values.length, DType.INT64);
        b.asLongBuffer().put(values);
        return of(DType.INT64, shape, b);
    }

    public static TensorData ofInts(long[] shape, int[] values) {
        ByteBuffer b = allocate(values.length, DType.INT32);
        b.asIntBuffer().put(values);
        return of(DType.INT32, shape, b);
    }

    public static TensorData ofBooleans(long[] shape, boolean[] values) {
        ByteBuffer b = allocate(values.length, DType.BOOL);
        for (boolean v : values) b.put((byte) (v ? 1 : 0));
        b.flip();
        return of(DType.BOOL, shape, b);
    }

    /** Raw little-endian bytes of any dtype (copied). */
    public static TensorData ofBytes(DType dtype, long[] shape, byte[] bytes) {
        return of(dtype, shape, ByteBuffer.wrap(bytes.clone()));
    }

    private static ByteBuffer allocate(int n, DType t) {
        return ByteBuffer.allocate(Math.multiplyExact(n, t.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return numel(shape);
    }

    /** Read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long byteSize() {
        return data.remaining();
    }

    /** Values converted to float (f16/bf16 widened exactly, f64/int64 rounded, bool as 0/1). */
    public float[] toFloatArray() {
        int n = arrayLength();
        float[] out = new float[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT16 -> halfToFloat(b.getShort(i * 2));
                case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                case FLOAT64 -> (float) b.getDouble(i * 8);
                default -> (float) integral(b, i);
            };
        }
        return out;
    }

    /** Values converted to double; exact for every dtype except int64 beyond 2^53. */
    public double[] toDoubleArray() {
        int n = arrayLength();
        double[] out = new double[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT16 -> halfToFloat(b.getShort(i * 2));
                case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                case FLOAT64 -> b.getDouble(i * 8);
                default -> (double) integral(b, i);
            };
        }
        return out;
    }

    /**
     * Values of an integer or bool tensor as long (uint8 unsigned, bool 0/1).
     *
     * @throws IllegalStateException for floating-point tensors, where silent truncation would hide bugs
     */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toLongArray() on a " + dtype + " tensor; use toDoubleArray()");
        }
        int n = arrayLength();
        long[] out = new long[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) out[i] = integral(b, i);
        return out;
    }

    /** This tensor as float32 (itself when it already is). */
    public TensorData asFloat32() {
        return dtype == DType.FLOAT32 ? this : ofFloats(shape, toFloatArray());
    }

    private long integral(ByteBuffer b, int i) {
        return switch (dtype) {
            case INT64 -> b.getLong(i * 8);
            case INT32 -> b.getInt(i * 4);
            case INT16 -> b.getShort(i * 2);
            case INT8 -> b.get(i);
            case UINT8, BOOL -> b.get(i) & 0xff;
            default -> throw new IllegalStateException(dtype.toString());
        };
    }

    private int arrayLength() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor of " + n + " elements does not fit a Java array");
        }
        return (int) n;
    }

    /** IEEE 754 binary16 to binary32; Java 17 lacks Float.float16ToFloat. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // Infinity, or NaN with its payload kept and the quiet bit set, as torch's (F16C) conversion does.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant == 0 ? 0 : 0x400000 | (mant << 13)));
        }
        if (exp == 0) {
            if (mant == 0) return Float.intBitsToFloat(sign);
            // Subnormal: value is mant * 2^-24, exactly representable in float.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.dtype == dtype && Arrays.equals(t.shape, shape) && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
