package io.resdet.io;

import io.resdet.io.Pickled.StorageRef;
import io.resdet.io.Pickled.TensorRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/** Turns a (storage, offset, size, stride) view into contiguous row-major bytes. */
final class StridedView {
    private StridedView() {}

    /**
     * @param stored the bytes of the whole stored storage {@code ref.storage().key}, whatever view of it
     *     the tensor uses
     */
    static TensorData materialize(Path file, String name, TensorRef ref, ByteBuffer stored) throws CheckpointException {
        StorageRef s = ref.storage();
        DType dtype = s.dtype;
        long[] size = ref.size();
        long[] stride = ref.stride();
        long numel = 1;
        for (long d : size) {
            if (d < 0) throw new CheckpointException(file, "tensor '" + name + "' has negative size " + Arrays.toString(size));
            numel = multiply(file, name, numel, d);
        }
        if (numel == 0) return TensorData.of(dtype, size, ByteBuffer.allocate(0));
        int es = dtype.byteSize();
        long available = Math.min(stored.remaining() / es, s.base + s.numel);
        long first = s.base + ref.offset();
        long last = first;
        for (int i = 0; i < size.length; i++) {
            if (stride[i] < 0) {
                throw new CheckpointException(file, "tensor '" + name + "' has negative stride " + Arrays.toString(stride));
            }
            last = Math.addExact(last, multiply(file, name, size[i] - 1, stride[i]));
        }
        if (ref.offset() < 0 || last >= available) {
            throw new CheckpointException(file, "storage too small for tensor '" + name + "': view of size "
                    + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + ", offset " + ref.offset()
                    + " reaches element " + (last - s.base) + " but storage '" + s.key + "' holds "
                    + Math.max(0, available - s.base) + " elements");
        }
        ByteBuffer src = stored.duplicate();
        if (isContiguous(size, stride)) {
            src.position((int) (first * es)).limit((int) ((first + numel) * es));
            return TensorData.of(dtype, size, src.slice());
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(numel * es)).order(ByteOrder.LITTLE_ENDIAN);
        copyStrided(src, first, size, stride, es, out);
        out.flip();
        return TensorData.of(dtype, size, out);
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            // A dimension of extent 1 is never stepped over, so torch leaves its stride arbitrary.
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    private static void copyStrided(ByteBuffer src, long first, long[] size, long[] stride, int es, ByteBuffer out) {
        int rank = size.length;
        long[] index = new long[rank];
        byte[] element = new byte[es];
        long pos = first;
        long numel = out.remaining() / es;
        for (long n = 0; n < numel; n++) {
            src.get((int) (pos * es), element);
            out.put(element);
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                pos += stride[d];
                if (index[d] < size[d]) break;
                pos -= stride[d] * size[d];
                index[d] = 0;
            }
        }
    }

    private static long multiply(Path file, String name, long a, long b) throws CheckpointException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new CheckpointException(file, "tensor '" + name + "' is too large (" + a + " x " + b + " elements)");
        }
    }
}
