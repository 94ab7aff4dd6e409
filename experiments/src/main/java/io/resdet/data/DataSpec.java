package io.resdet.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset named on the command line: {@code cifar10:DIR}, {@code cifar100:DIR}, {@code fashion-mnist[:DIR]}
 * (default: Debian's {@code /usr/share/datasets/fashion-mnist}), {@code imagefolder:DIR} (with {@code train/} and
 * {@code test/} or {@code val/}), or {@code synthetic[:N]} (N training images, N/5 test images, default 10,000).
 */
public record DataSpec(String kind, Path dir, int count) {
    public record Split(ImageSet train, ImageSet test) {}

    public static DataSpec parse(String s) {
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        switch (kind) {
            case "synthetic" -> {
                int n = 10_000;
                if (arg != null) {
                    try {
                        n = Integer.parseInt(arg);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--data synthetic:N: '" + arg + "' is not a whole number");
                    }
                }
                if (n < 10) throw new IllegalArgumentException("--data synthetic:N: N must be at least 10, got " + n);
                return new DataSpec(kind, null, n);
            }
            case "cifar10", "cifar100", "imagefolder" -> {
                if (arg == null || arg.isEmpty()) throw new IllegalArgumentException("--data " + kind + ":DIR needs a folder");
                return new DataSpec(kind, Path.of(arg), 0);
            }
            case "fashion-mnist" -> {
                return new DataSpec(kind, arg == null || arg.isEmpty() ? FashionMnist.DEFAULT_DIR : Path.of(arg), 0);
            }
            default -> throw new IllegalArgumentException("--data: unknown dataset '" + kind
                    + "' (use cifar10:DIR, cifar100:DIR, fashion-mnist[:DIR], imagefolder:DIR or synthetic[:N])");
        }
    }

    public Split load(long seed) throws IOException {
        return switch (kind) {
            case "synthetic" -> new Split(SyntheticShapes.generate(count, seed),
                    SyntheticShapes.generate(Math.max(10, count / 5), seed + 0x5DEECE66DL));
            case "cifar10" -> new Split(CifarBinary.cifar10(dir, true), CifarBinary.cifar10(dir, false));
            case "cifar100" -> new Split(CifarBinary.cifar100(dir, true), CifarBinary.cifar100(dir, false));
            case "fashion-mnist" -> new Split(FashionMnist.load(dir, true), FashionMnist.load(dir, false));
            default -> {
                ImageSet train = ImageFolderSet.load(dir, "train", 32, null);
                String testSplit = java.nio.file.Files.isDirectory(dir.resolve("test")) ? "test" : "val";
                yield new Split(train, ImageFolderSet.load(dir, testSplit, 32, train.classes()));
            }
        };
    }
}
