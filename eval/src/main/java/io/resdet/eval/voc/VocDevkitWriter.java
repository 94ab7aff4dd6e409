package io.resdet.eval.voc;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a case in the devkit layout: {@code Annotations/<id>.xml}, {@code ImageSets/Main/<set>.txt}
 * and detection files {@code comp4_det_<set>_<class>.txt}.
 */
public final class VocDevkitWriter {
    private VocDevkitWriter() {
    }

    public static void writeGroundTruth(VocGroundTruth gt, Path root, String set) {
        try {
            Path ann = Files.createDirectories(root.resolve("Annotations"));
            Path sets = Files.createDirectories(root.resolve("ImageSets").resolve("Main"));
            Files.write(sets.resolve(set + ".txt"), gt.imageIds(), StandardCharsets.UTF_8);
            for (String id : gt.imageIds()) {
                StringBuilder x = new StringBuilder("<annotation>\n  <filename>").append(id).append(".jpg</filename>\n");
                for (VocObject o : gt.objects().get(id)) {
                    x.append("  <object>\n    <name>").append(o.cls()).append("</name>\n    <pose>Unspecified</pose>\n")
                            .append("    <truncated>0</truncated>\n    <difficult>").append(o.difficult() ? 1 : 0)
                            .append("</difficult>\n    <bndbox>\n      <xmin>").append(num(o.x1())).append("</xmin>\n      <ymin>")
                            .append(num(o.y1())).append("</ymin>\n      <xmax>").append(num(o.x2())).append("</xmax>\n      <ymax>")
                            .append(num(o.y2())).append("</ymax>\n    </bndbox>\n  </object>\n");
                }
                x.append("</annotation>\n");
                Files.writeString(ann.resolve(id + ".xml"), x, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One file per class, named as the devkit's comp4 results; returns nothing, files go to {@code dir}. */
    public static void writeDetections(Map<String, VocDetections> dets, Path dir, String set) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, VocDetections> e : dets.entrySet()) {
                VocDetections d = e.getValue();
                try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("comp4_det_" + set + "_" + e.getKey() + ".txt"))) {
                    List<String> ids = d.imageIds();
                    for (int i = 0; i < d.size(); i++) {
                        // Double.toString reads back to the same double, so the file loses nothing
                        w.write(ids.get(i) + " " + d.score()[i] + " " + d.box()[4 * i] + " " + d.box()[4 * i + 1] + " "
                                + d.box()[4 * i + 2] + " " + d.box()[4 * i + 3] + "\n");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
