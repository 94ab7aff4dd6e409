package io.resdet.detector.data;

import io.resdet.detector.LabelMap;
import io.resdet.eval.voc.VocXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A PASCAL VOC devkit year folder ({@code VOCdevkit/VOC2007}): the ids in {@code ImageSets/Main/<set>.txt}, their
 * {@code Annotations/<id>.xml} and {@code JPEGImages/<id>.jpg} (or {@code .png}). Labels 1..20 are the 20 standard
 * classes in the standard order ({@link LabelMap#voc()}); {@link #categoryId} is the label itself.
 *
 * <p>Coordinates: VOC boxes are 1-based inclusive pixel indices. They become {@code xmin-1, ymin-1, xmax-1, ymax-1}
 * (py-faster-rcnn's conversion), because {@code eval run} writes detections for the devkit by adding 1 to all four
 * coordinates ({@code DetectionRun.writeVocDetections}): a model trained on these targets round-trips exactly into
 * the devkit's evaluation. (detectron2 uses {@code xmin-1, ymin-1, xmax, ymax} and adds 1 only to x1, y1 when
 * writing; mixing the two conventions would bias every box by a pixel.) Boxes are clamped to the image; one left
 * with no width or height (a 1-pixel-wide VOC box) is dropped, since training requires positive sizes.
 *
 * <p>{@code difficult} objects are left out unless {@code includeDifficult}. Images left without objects stay (they
 * train the background). Image ids: the id's digits when it is made of digits and underscores ({@code 000005} →
 * 5, {@code 2008_000008} → 2008000008), else the 1-based position in the set.
 */
public final class VocDetectionDataset extends AnnotatedImageDataset {
    private final String source;

    private VocDetectionDataset(String source, List<String> names, AnnotatedImage[] images) {
        super(names, images);
        this.source = source;
    }

    public static VocDetectionDataset open(Path vocRoot, String imageSet, boolean includeDifficult) throws IOException {
        Path list = vocRoot.resolve("ImageSets").resolve("Main").resolve(imageSet + ".txt");
        if (!Files.isRegularFile(list)) throw new IOException(list + ": no such image set");
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String id = line.strip();
            if (id.isEmpty()) continue;
            // trainval lists are bare ids; per-class lists ("000005 -1") carry a flag we ignore
            id = id.split("\\s+")[0];
            if (!seen.add(id)) throw new IOException(list + ": image " + id + " is listed twice");
            ids.add(id);
        }
        List<String> names = LabelMap.voc().names();
        DocumentBuilder db = VocXml.parser();
        AnnotatedImage[] images = new AnnotatedImage[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            images[i] = parse(db, vocRoot, ids.get(i), i, names, includeDifficult);
        }
        return new VocDetectionDataset("voc:" + vocRoot + ":" + imageSet, names, images);
    }

    private static AnnotatedImage parse(DocumentBuilder db, Path root, String id, int position, List<String> names,
                                        boolean includeDifficult) throws IOException {
        Path xml = root.resolve("Annotations").resolve(id + ".xml");
        if (!Files.isRegularFile(xml)) throw new IOException(xml + ": no such annotation file");
        Document doc;
        try {
            db.reset();
            doc = db.parse(xml.toFile());
        } catch (SAXException e) {
            throw new IOException(xml + ": malformed XML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        Element top = doc.getDocumentElement();
        Element size = VocXml.child(top, "size");
        if (size == null) throw new IOException(xml + ": no <size> (width and height are needed before decoding)");
        int w = (int) number(size, "width", xml + ": <size>"), h = (int) number(size, "height", xml + ": <size>");
        if (w <= 0 || h <= 0) throw new IOException(xml + ": <size> " + w + "x" + h + " is not positive");

        List<Float> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        NodeList kids = top.getChildNodes();
        int n = 0;
        for (int k = 0; k < kids.getLength(); k++) {
            if (!(kids.item(k) instanceof Element o) || !o.getTagName().equals("object")) continue;
            String at = xml + ": object #" + (++n);
            String name = text(o, "name", at);
            int label = names.indexOf(name);
            if (label < 1) throw new IOException(at + ": <name> '" + name + "' is not one of the 20 VOC classes");
            String diff = VocXml.optText(o, "difficult");
            boolean difficult;
            try {
                difficult = diff != null && Integer.parseInt(diff) != 0;
            } catch (NumberFormatException e) {
                throw new IOException(at + ": <difficult> is not an integer: '" + diff + "'");
            }
            if (difficult && !includeDifficult) continue;
            Element bb = VocXml.child(o, "bndbox");
            if (bb == null) throw new IOException(at + ": no <bndbox>");
            float x1 = clamp(number(bb, "xmin", at) - 1, w), y1 = clamp(number(bb, "ymin", at) - 1, h);
            float x2 = clamp(number(bb, "xmax", at) - 1, w), y2 = clamp(number(bb, "ymax", at) - 1, h);
            if (!(x2 > x1 && y2 > y1)) continue;
            boxes.addAll(List.of(x1, y1, x2, y2));
            labels.add(label);
        }
        Path dir = root.resolve("JPEGImages");
        Path file = dir.resolve(id + ".jpg");
        if (!Files.isRegularFile(file)) file = dir.resolve(id + ".png");
        if (!Files.isRegularFile(file)) throw new IOException(dir.resolve(id + ".jpg") + ": no such image file (listed in the image set)");
        float[] b = new float[boxes.size()];
        for (int i = 0; i < b.length; i++) b[i] = boxes.get(i);
        return new AnnotatedImage(file.getFileName().toString(), file, imageId(id, position), w, h, b,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    static long imageId(String id, int position) {
        String digits = id.replace("_", "");
        if (id.matches("[0-9_]+") && !digits.isEmpty() && digits.length() <= 18) return Long.parseLong(digits);
        return position + 1L;
    }

    private static float clamp(double v, int max) {
        return (float) Math.min(Math.max(v, 0), max);
    }

    @Override
    public long categoryId(int label) {
        if (label < 1 || label >= names.size()) throw new IllegalArgumentException("label " + label + " is not in 1.." + (names.size() - 1));
        return label;
    }

    @Override
    public String describe() {
        return source + " (" + images.length + " images, " + (names.size() - 1) + " classes)";
    }

    private static String text(Element e, String tag, String at) throws IOException {
        String t = VocXml.optText(e, tag);
        if (t == null) throw new IOException(at + ": no <" + tag + ">");
        return t;
    }

    private static double number(Element e, String tag, String at) throws IOException {
        String t = text(e, tag, at);
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException ex) {
            throw new IOException(at + ": <" + tag + "> is not a number: '" + t + "'");
        }
    }
}
