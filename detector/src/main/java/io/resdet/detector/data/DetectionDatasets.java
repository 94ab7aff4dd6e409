package io.resdet.detector.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a dataset from a one-string spec, for command lines:
 * <ul>
 *   <li>{@code DIR}: a folder written by {@code resdet data synth} ({@link ShapesDatasetWriter}): split
 *       {@code train} when training, else {@code val};</li>
 *   <li>{@code coco:GT.json:IMAGES_DIR};</li>
 *   <li>{@code voc:ROOT:SET}, e.g. {@code voc:VOCdevkit/VOC2007:trainval};</li>
 *   <li>several of these joined by {@code +} (concatenated, e.g. VOC 07+12); they must share their classes.</li>
 * </ul>
 * Training sets drop COCO images without a target box, as torchvision's reference does; VOC {@code difficult}
 * objects are never targets. Paths may therefore contain neither {@code :} (in coco/voc forms) nor {@code +}.
 */
public final class DetectionDatasets {
    private DetectionDatasets() {}

    public static DetectionDataset open(String spec, boolean train) throws IOException {
        if (spec == null || spec.isBlank()) throw new IOException("empty dataset spec: expected " + FORMS);
        if (spec.contains("+")) {
            String[] specs = spec.split("\\+", -1);
            for (String part : specs) {
                if (part.isBlank()) throw new IOException("dataset spec '" + spec + "': an empty part; expected " + FORMS);
            }
            List<DetectionDataset> parts = new ArrayList<>();
            for (String part : specs) parts.add(openOne(part.strip(), train));
            try {
                return ConcatDetectionDataset.of(parts);
            } catch (IllegalArgumentException e) {
                throw new IOException("dataset spec '" + spec + "': " + e.getMessage());
            }
        }
        return openOne(spec.strip(), train);
    }

    private static final String FORMS = "DIR (from 'resdet data synth'), coco:GT.json:IMAGES_DIR or voc:ROOT:SET, '+'-joined for several";

    /**
     * Where one (not {@code +}-joined) spec's data lies: a COCO GT file and its image folder ({@code coco:} and synth
     * folders), or a VOC root and image set.
     */
    public record Source(String spec, Path cocoGt, Path cocoImages, Path vocRoot, String vocSet) {
        public boolean voc() {
            return vocRoot != null;
        }
    }

    /** Parses one spec without opening it; {@code train} picks a synth folder's split (train, else val). */
    public static Source parse(String spec, boolean train) throws IOException {
        if (spec == null || spec.isBlank()) throw new IOException("empty dataset spec: expected " + FORMS);
        if (spec.startsWith("coco:")) {
            String[] f = spec.substring(5).split(":", -1);
            if (f.length != 2 || f[0].isEmpty() || f[1].isEmpty()) {
                throw new IOException("dataset spec '" + spec + "': expected coco:GT.json:IMAGES_DIR");
            }
            return new Source(spec, Path.of(f[0]), Path.of(f[1]), null, null);
        }
        if (spec.startsWith("voc:")) {
            String[] f = spec.substring(4).split(":", -1);
            if (f.length != 2 || f[0].isEmpty() || f[1].isEmpty()) throw new IOException("dataset spec '" + spec + "': expected voc:ROOT:SET");
            return new Source(spec, null, null, Path.of(f[0]), f[1]);
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir)) {
            throw new IOException("dataset spec '" + spec + "': no such folder; expected " + FORMS);
        }
        String split = train ? "train" : "val";
        Path gt = dir.resolve("annotations").resolve("instances_" + split + ".json");
        if (!Files.isRegularFile(gt)) throw new IOException(gt + ": no such annotation file (is " + dir + " a 'resdet data synth' folder?)");
        return new Source(spec, gt, dir.resolve(split), null, null);
    }

    private static DetectionDataset openOne(String spec, boolean train) throws IOException {
        Source s = parse(spec, train);
        return s.voc() ? VocDetectionDataset.open(s.vocRoot(), s.vocSet(), false)
                : CocoDetectionDataset.open(s.cocoGt(), s.cocoImages(), train);
    }
}
