package io.resdet.data;

import io.resdet.backbone.DatasetLabels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test images, 28×28 grey, 10 classes, as IDX files
 * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-…}); Debian's
 * {@code dataset-fashion-mnist} puts them in {@link #DEFAULT_DIR}.
 *
 * <p>Each image is zero-padded by 2 pixels to 32×32 and kept as one channel. 32×32 gives the paper's CIFAR networks
 * the map sizes they were designed for (32/16/8 through the three stages) and the same 4-pixel crop augmentation;
 * the padding is the images' own black background. One channel, with the networks' stem taking one input channel
 * ({@code ResNets.Builder.optInChannels}), rather than the grey copied into three: three identical channels would
 * triple the data in memory and give the stem three copies of one input whose weights always get the same gradient —
 * a one-channel stem with a different initial scale and learning rate, not the paper's.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final int SIZE = 28, PADDED = 32;

    private FashionMnist() {}

    public static ImageSet load(Path dir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte"), labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        IdxFile images = IdxFile.read(imagesFile, 3), labels = IdxFile.read(labelsFile, 1);
        int n = images.dims()[0];
        if (images.dims()[1] != SIZE || images.dims()[2] != SIZE) {
            throw new IOException(imagesFile + ": images are " + images.dims()[1] + "×" + images.dims()[2]
                    + " (dimensions at offset 8" + where(imagesFile) + "), Fashion-MNIST's are 28×28");
        }
        if (labels.dims()[0] != n) {
            throw new IOException(labelsFile + ": " + labels.dims()[0] + " labels (count at offset 4" + where(labelsFile) + ") for the " + n
                    + " images of " + imagesFile.getFileName());
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.data()[i] & 0xFF;
            if (y[i] >= DatasetLabels.FASHION_MNIST.size()) {
                throw new IOException(labelsFile + ": label " + y[i] + " at offset " + (8 + i) + where(labelsFile) + " (image " + i
                        + ") is outside 0.." + (DatasetLabels.FASHION_MNIST.size() - 1));
            }
        }
        return new ImageSet(pad(images.data(), n), y, 1, PADDED, PADDED, DatasetLabels.FASHION_MNIST);
    }

    private static String where(Path file) {
        return file.getFileName().toString().endsWith(".gz") ? " of the decompressed data" : "";
    }

    /** Centres each 28×28 image in a zero 32×32 frame. */
    static byte[] pad(byte[] src, int n) {
        int border = (PADDED - SIZE) / 2;
        byte[] out = new byte[n * PADDED * PADDED];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < SIZE; y++) {
                System.arraycopy(src, (i * SIZE + y) * SIZE, out, (i * PADDED + y + border) * PADDED + border, SIZE);
            }
        }
        return out;
    }

    /** {@code name.gz}, else {@code name}: the gzipped files as distributed, or unpacked ones. */
    private static Path find(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such folder" + (dir.equals(DEFAULT_DIR)
                    ? " (install Debian's dataset-fashion-mnist, or give fashion-mnist:DIR)" : ""));
        }
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException(dir + ": no " + name + ".gz or " + name + " (the Fashion-MNIST IDX files)");
    }
}
