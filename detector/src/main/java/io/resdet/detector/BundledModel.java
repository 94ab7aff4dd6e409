package io.resdet.detector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo model shipped inside the detector jar: a small ResNet-18 FPN Faster R-CNN trained by resdet on its
 * synthetic shapes (see the README for the command that reproduces it). Checkpoint readers want a file, so the
 * resource is copied once to {@code java.io.tmpdir/resdet-models-<size>/}.
 */
public final class BundledModel {
    public static final String NAME = "shapes-resnet18-fpn.safetensors";
    private static final String RESOURCE = "models/" + NAME;

    private BundledModel() {}

    public static synchronized Path path() {
        try (InputStream probe = BundledModel.class.getResourceAsStream(RESOURCE)) {
            if (probe == null) throw new IllegalStateException("the bundled model " + RESOURCE + " is missing from the detector jar");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = BundledModel.class.getResourceAsStream(RESOURCE)) {
            byte[] bytes = in.readAllBytes();
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "resdet-models-" + Integer.toHexString(java.util.Arrays.hashCode(bytes)));
            Path file = dir.resolve(NAME);
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) return file;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "model", ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled model: " + e.getMessage(), e);
        }
    }
}
