package io.resdet.detector.draw;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes annotated images as JPEG (for .jpg/.jpeg names) or PNG (everything else). */
public final class AnnotatedImages {
    private AnnotatedImages() {}

    /** The output name for an input name: JPEGs stay JPEG, PNGs stay PNG, other formats become PNG. */
    public static String outputName(String inputName) {
        String lower = inputName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png")) return inputName;
        int dot = inputName.lastIndexOf('.');
        return (dot > 0 ? inputName.substring(0, dot) : inputName) + ".png";
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean jpeg = lower.endsWith(".jpg") || lower.endsWith(".jpeg");
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        ImageWriter w = ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            if (jpeg) {
                // ImageIO's default 0.75 smears the thin coloured edges and small text.
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.92f);
            }
            w.write(null, new IIOImage(image, null, null), p);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot write image (" + e.getMessage() + ")");
        } finally {
            w.dispose();
        }
    }
}
