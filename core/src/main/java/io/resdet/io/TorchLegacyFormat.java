package io.resdet.io;

import io.resdet.io.Pickled.StorageRef;
import io.resdet.io.Pickled.TensorRef;
import io.resdet.io.Pickled.Tuple;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-1.6 {@code torch.save} format, still written with {@code _use_new_zipfile_serialization=False} and
 * found in older torchvision downloads: five pickles back to back (magic number, protocol version, system
 * info, the object, the list of storage keys), then each storage as an int64 element count and raw bytes.
 */
final class TorchLegacyFormat {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;

    private TorchLegacyFormat() {}

    static StateDict read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            PickleInput in = new PickleInput(file, new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), ch.size());
            Unpickler.PersistentLoader none = pid -> {
                throw new CheckpointException(file, "malformed checkpoint: persistent id in a header pickle");
            };
            if (!MAGIC.equals(new Unpickler(file, in, none).load())) {
                throw new CheckpointException(file, "not a torch checkpoint: a pickle without torch's magic number");
            }
            Object version = new Unpickler(file, in, none).load();
            if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
                throw new CheckpointException(file, "unsupported legacy torch protocol version " + version);
            }
            if (new Unpickler(file, in, none).load() instanceof Map<?, ?> sys
                    && Boolean.FALSE.equals(sys.get("little_endian"))) {
                throw new CheckpointException(file, "big-endian legacy checkpoints are not supported");
            }
            Map<String, StorageRef> byKey = new HashMap<>();
            Object top = new Unpickler(file, in, pid -> storage(file, pid, byKey)).load();
            Map<String, TensorRef> refs = TensorSelection.select(file, top);
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TorchZipFormat.requireDtype(file, e.getKey(), e.getValue().storage());
            }
            Map<String, ByteBuffer> data = storages(file, in, byKey, refs);
            StateDict sd = new StateDict();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                String key = e.getValue().storage().key;
                ByteBuffer bytes = data.get(key);
                if (bytes == null) throw new CheckpointException(file, "storage '" + key + "' is missing from the file");
                sd.put(e.getKey(), StridedView.materialize(file, e.getKey(), e.getValue(), bytes));
            }
            return sd;
        }
    }

    /** Reads the storages the selected tensors use and skips the rest (optimizer state, say). */
    private static Map<String, ByteBuffer> storages(Path file, PickleInput in, Map<String, StorageRef> byKey,
            Map<String, TensorRef> refs) throws IOException {
        Object keys = new Unpickler(file, in, pid -> null).load();
        if (!(keys instanceof List<?> list)) {
            throw new CheckpointException(file, "malformed checkpoint: storage key list is " + Unpickler.describe(keys));
        }
        Map<String, Boolean> needed = new HashMap<>();
        refs.values().forEach(t -> needed.put(t.storage().key, true));
        Map<String, ByteBuffer> out = new HashMap<>();
        for (Object k : list) {
            // torch writes str keys; anything else is hostile or broken, and its text could be exponential to build.
            if (!(k instanceof String key)) {
                throw new CheckpointException(file, "malformed checkpoint: a storage key is " + Unpickler.describe(k) + ", not a str");
            }
            StorageRef ref = byKey.get(key);
            if (ref == null) throw new CheckpointException(file, "malformed checkpoint: storage '" + key + "' is never used");
            if (in.remaining() < 8) throw new CheckpointException(file, "truncated file: storage '" + key + "' is missing");
            long count = in.le(8);
            int es = elementSize(file, ref);
            if (count < 0 || count > in.remaining() / es) {
                throw new CheckpointException(file, "truncated file: storage '" + key + "' declares " + count
                        + " elements but only " + in.remaining() + " bytes remain");
            }
            if (needed.containsKey(key)) {
                if (count * es > Integer.MAX_VALUE - 8) {
                    throw new CheckpointException(file, "storage '" + key + "' holds " + count * es
                            + " bytes; storages over 2 GiB are not supported");
                }
                out.put(key, ByteBuffer.wrap(in.bytes(count * es)));
            } else {
                in.skip(count * es);
            }
        }
        return out;
    }

    /** Unsupported storages still have to be skipped, so their element size must be known. */
    private static int elementSize(Path file, StorageRef ref) throws CheckpointException {
        if (ref.dtype != null) return ref.dtype.byteSize();
        String t = ref.typeName;
        if (t.endsWith("ComplexDoubleStorage") || t.endsWith("complex128")) return 16;
        if (t.endsWith("ComplexFloatStorage") || t.endsWith("complex64")) return 8;
        if (t.endsWith("QInt32Storage")) return 4;
        if (t.endsWith("QInt8Storage") || t.endsWith("QUInt8Storage") || t.endsWith("QUInt4x2Storage")
                || t.endsWith("QUInt2x4Storage")) {
            return 1;
        }
        throw new CheckpointException(file, "unsupported storage type " + t + " (storage '" + ref.key + "')");
    }

    private static Object storage(Path file, Object pid, Map<String, StorageRef> byKey) throws CheckpointException {
        // ('storage', type, root_key, location, size, view_metadata); view_metadata = (view_key, offset, size).
        if (!(pid instanceof Tuple t) || t.size() < 6 || !"storage".equals(t.get(0))
                || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel)) {
            throw new CheckpointException(file, "malformed pickle: unexpected persistent id " + Unpickler.describe(pid));
        }
        StorageRef root = byKey.get(key);
        if (root == null) {
            root = TorchZipFormat.storageRef(t.get(1), key, numel, 0);
            byKey.put(key, root);
        }
        if (t.get(5) instanceof Tuple view && view.size() == 3 && view.get(1) instanceof Long offset
                && view.get(2) instanceof Long size) {
            return new StorageRef(key, root.dtype, root.typeName, size, offset);
        }
        return root;
    }
}
