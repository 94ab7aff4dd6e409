package io.resdet.io;

import io.resdet.io.Pickled.Global;
import io.resdet.io.Pickled.StorageRef;
import io.resdet.io.Pickled.TensorRef;
import io.resdet.io.Pickled.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip format of {@code torch.save} (torch ≥ 1.6): {@code <archive>/data.pkl} is a pickle whose persistent
 * ids name storages stored raw as {@code <archive>/data/<key>}. The archive name is the file's stem at save
 * time, so it is found from the entries.
 */
final class TorchZipFormat {
    private TorchZipFormat() {}

    static StateDict read(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file, "truncated or corrupt zip (" + e.getMessage() + ")", e);
        }
        try (zip) {
            String prefix = archivePrefix(file, zip);
            requireLittleEndian(file, zip, prefix);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            Map<String, StorageRef> storages = new HashMap<>();
            Object top;
            try (InputStream in = zip.getInputStream(pkl)) {
                PickleInput pin = new PickleInput(file, in, pkl.getSize());
                top = new Unpickler(file, pin, pid -> storage(file, pid, storages)).load();
            } catch (ZipException e) {
                throw new CheckpointException(file, "corrupt zip entry " + pkl.getName() + " (" + e.getMessage() + ")", e);
            }
            Map<String, TensorRef> refs = TensorSelection.select(file, top);
            Map<String, ByteBuffer> loaded = new HashMap<>();
            StateDict sd = new StateDict();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                StorageRef s = e.getValue().storage();
                requireDtype(file, e.getKey(), s);
                ByteBuffer bytes = loaded.get(s.key);
                if (bytes == null) {
                    bytes = entry(file, zip, prefix + "data/" + s.key);
                    loaded.put(s.key, bytes);
                }
                sd.put(e.getKey(), StridedView.materialize(file, e.getKey(), e.getValue(), bytes));
            }
            return sd;
        }
    }

    static void requireDtype(Path file, String name, StorageRef s) throws CheckpointException {
        if (s.dtype == null) {
            throw new CheckpointException(file, "unsupported dtype " + s.typeName + " of tensor '" + name + "'");
        }
    }

    /** torch 2.x records the writer's byte order; older versions only ever wrote little-endian. */
    private static void requireLittleEndian(Path file, ZipFile zip, String prefix) throws CheckpointException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) return;
        String order = new String(entry(file, zip, e.getName()).array(), StandardCharsets.US_ASCII).strip();
        if (!order.equals("little")) {
            throw new CheckpointException(file, "unsupported byte order '" + order + "' (only little-endian checkpoints are read)");
        }
    }

    private static String archivePrefix(Path file, ZipFile zip) throws CheckpointException {
        String best = null;
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (name.equals("data.pkl") || name.endsWith("/data.pkl")) {
                String prefix = name.substring(0, name.length() - "data.pkl".length());
                if (best == null || prefix.length() < best.length()) best = prefix;
            }
        }
        if (best == null) throw new CheckpointException(file, "zip without data.pkl: not a torch.save checkpoint");
        return best;
    }

    private static Object storage(Path file, Object pid, Map<String, StorageRef> storages) throws CheckpointException {
        if (!(pid instanceof Tuple t) || t.size() < 5 || !"storage".equals(t.get(0))
                || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel)) {
            throw new CheckpointException(file, "malformed pickle: unexpected persistent id " + Unpickler.describe(pid));
        }
        StorageRef known = storages.get(key);
        if (known != null) return known;
        StorageRef ref = storageRef(t.get(1), key, numel, 0);
        storages.put(key, ref);
        return ref;
    }

    static StorageRef storageRef(Object type, String key, long numel, long base) {
        DType dtype = null;
        String typeName = String.valueOf(type);
        // torch 2.x pickles UntypedStorage under its defining module, torch.storage.
        if (type instanceof Global g && (g.module().equals("torch") || g.module().equals("torch.storage"))) {
            dtype = DType.fromTorchName(g.name()).orElse(null);
        }
        return new StorageRef(key, dtype, typeName, numel, base);
    }

    private static ByteBuffer entry(Path file, ZipFile zip, String name) throws CheckpointException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new CheckpointException(file, "truncated zip (expected entry " + name + ")");
        long size = e.getSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file, "zip entry " + name + " holds " + size
                    + " bytes; storages over 2 GiB are not supported");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.max(size, 0));
            if (b.length != size) {
                throw new CheckpointException(file, "truncated zip entry " + name + " (" + b.length + " of " + size + " bytes)");
            }
            return ByteBuffer.wrap(b);
        } catch (IOException ex) {
            if (ex instanceof CheckpointException c) throw c;
            throw new CheckpointException(file, "corrupt zip entry " + name + " (" + ex.getMessage() + ")", ex);
        }
    }
}
