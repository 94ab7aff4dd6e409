package io.resdet.data;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An ImageFolder tree ({@code split/<class>/<image>}, classes sorted by name as torchvision does), every image
 * resized to {@code size × size} (bilinear) because training batches need one shape.
 */
public final class ImageFolderSet {
    private ImageFolderSet() {}

    /** Loads {@code root/split}; {@code classes} fixes the label order (pass the training split's), or null. */
    public static ImageSet load(Path root, String split, int size, List<String> classes) throws IOException {
        Path dir = root.resolve(split);
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no such folder (expected " + split + "/<class>/<images>)");
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(found::add);
        }
        if (found.isEmpty()) throw new IOException(dir + ": no class folders");
        List<String> names = classes == null ? found : classes;
        for (String c : found) {
            if (!names.contains(c)) throw new IOException(dir.resolve(c) + ": class not in the training split");
        }
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String c : found) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir.resolve(c))) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                RgbImage im;
                try {
                    im = Images.read(f);
                } catch (IOException e) {
                    throw new IOException(f + ": not a readable image (" + e.getMessage() + ")", e);
                }
                images.add(planar(resize(im, size), size));
                labels.add(names.indexOf(c));
            }
        }
        if (images.isEmpty()) throw new IOException(dir + ": no images");
        int per = 3 * size * size;
        byte[] px = new byte[images.size() * per];
        for (int i = 0; i < images.size(); i++) System.arraycopy(images.get(i), 0, px, i * per, per);
        return new ImageSet(px, labels.stream().mapToInt(Integer::intValue).toArray(), 3, size, size, names);
    }

    private static BufferedImage resize(RgbImage im, int size) {
        BufferedImage src = Images.toBufferedImage(im);
        if (im.width() == size && im.height() == size) return src;
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, size, size, null);
        g.dispose();
        return dst;
    }

    private static byte[] planar(BufferedImage img, int size) {
        byte[] out = new byte[3 * size * size];
        int hw = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y);
                int k = y * size + x;
                out[k] = (byte) (rgb >> 16);
                out[hw + k] = (byte) (rgb >> 8);
                out[2 * hw + k] = (byte) rgb;
            }
        }
        return out;
    }
}
