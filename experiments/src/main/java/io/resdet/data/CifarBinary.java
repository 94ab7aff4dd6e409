package io.resdet.data;

import io.resdet.backbone.DatasetLabels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR "binary version" files: CIFAR-10 records are {@code <label byte><3072 pixel bytes>} in
 * {@code data_batch_1..5.bin} / {@code test_batch.bin}; CIFAR-100 records are
 * {@code <coarse byte><fine byte><3072 bytes>} in {@code train.bin} / {@code test.bin} (fine labels used).
 */
public final class CifarBinary {
    private static final int PIXELS = 3 * 32 * 32;

    private CifarBinary() {}

    public static ImageSet cifar10(Path dir, boolean train) throws IOException {
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int i = 1; i <= 5; i++) files.add(dir.resolve("data_batch_" + i + ".bin"));
        } else {
            files.add(dir.resolve("test_batch.bin"));
        }
        return read(files, 1, 0, DatasetLabels.CIFAR10);
    }

    public static ImageSet cifar100(Path dir, boolean train) throws IOException {
        return read(List.of(dir.resolve(train ? "train.bin" : "test.bin")), 2, 1, DatasetLabels.CIFAR100);
    }

    /** Reads records of {@code labelBytes + 3072} bytes, taking the label at {@code labelAt}. */
    static ImageSet read(List<Path> files, int labelBytes, int labelAt, List<String> classes) throws IOException {
        int rec = labelBytes + PIXELS;
        List<byte[]> contents = new ArrayList<>();
        int n = 0;
        for (Path f : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                throw new IOException(f + ": not found (expected the CIFAR binary version)");
            }
            if (b.length == 0 || b.length % rec != 0) {
                throw new IOException(f + ": " + b.length + " bytes is not a whole number of " + rec + "-byte records");
            }
            contents.add(b);
            n += b.length / rec;
        }
        byte[] px = new byte[n * PIXELS];
        int[] labels = new int[n];
        int i = 0;
        for (int fi = 0; fi < contents.size(); fi++) {
            byte[] b = contents.get(fi);
            for (int off = 0; off < b.length; off += rec, i++) {
                int label = b[off + labelAt] & 0xFF;
                if (label >= classes.size()) {
                    throw new IOException(files.get(fi) + ": record " + (off / rec) + " has label " + label
                            + " (at most " + (classes.size() - 1) + ")");
                }
                labels[i] = label;
                System.arraycopy(b, off + labelBytes, px, i * PIXELS, PIXELS);
            }
        }
        return new ImageSet(px, labels, 3, 32, 32, classes);
    }
}
