package io.resdet.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the ONNX Runtime peer's models are cached: one file per architecture and batch shape (torchvision's export
 * fixes the number of images), named with a digest of the worker script that builds and exports the model and of the
 * torch and torchvision versions that ran it, so a change to how the weights are made never reuses an old export (and
 * should one slip through, the bench's agreement line would say so). Under {@code RESDET_HOME} (default
 * {@code ~/.cache/resdet}), beside the model store.
 */
final class OnnxExports {
    private OnnxExports() {}

    static Path path(String arch, int[] size, String torchVersions) throws IOException {
        String base = io.resdet.models.ModelStore.environment().get("RESDET_HOME");
        Path dir = base != null && !base.isBlank() ? Path.of(base) : Path.of(System.getProperty("user.home"), ".cache", "resdet");
        return dir.resolve("onnx").resolve(arch + "-" + size[0] + "x" + size[1] + "x" + size[2] + "-" + digest(torchVersions) + ".onnx");
    }

    private static String digest(String torchVersions) throws IOException {
        try (InputStream in = OnnxExports.class.getResourceAsStream("/io/resdet/cli/bench/fasterrcnn_worker.py")) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            byte[] d = md.digest(torchVersions.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
