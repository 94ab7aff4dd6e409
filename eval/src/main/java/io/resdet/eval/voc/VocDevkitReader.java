package io.resdet.eval.voc;

import io.resdet.eval.EvalInputException;
import io.resdet.eval.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Reads a VOC devkit year folder ({@code VOCdevkit/VOC2007}): an image set and its annotation XML files. */
public final class VocDevkitReader {
    private VocDevkitReader() {
    }

    public static VocGroundTruth read(Path root, String set) {
        return read(root, set, ProgressListener.NONE);
    }

    /** Reads {@code ImageSets/Main/<set>.txt} and {@code Annotations/<id>.xml} of each listed image. */
    public static VocGroundTruth read(Path root, String set, ProgressListener progress) {
        Path list = root.resolve("ImageSets").resolve("Main").resolve(set + ".txt");
        List<String> ids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (!s.isEmpty()) ids.add(s);
            }
        } catch (IOException e) {
            throw new EvalInputException(list + ": cannot read image set (" + e.getClass().getSimpleName() + ")");
        }
        DocumentBuilder db = VocXml.parser();
        Map<String, List<VocObject>> objects = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (objects.containsKey(id)) throw new EvalInputException(list + ": image " + id + " is listed twice");
            objects.put(id, parse(db, root.resolve("Annotations").resolve(id + ".xml")));
            if ((i + 1) % 500 == 0 || i + 1 == ids.size()) progress.update("annotations", i + 1, ids.size());
        }
        return new VocGroundTruth(List.copyOf(ids), objects, List.of());
    }

    /** Objects of one annotation file, in file order (overlap ties go to the first object). */
    static List<VocObject> parse(DocumentBuilder db, Path xml) {
        Document doc;
        try {
            db.reset();
            doc = db.parse(xml.toFile());
        } catch (SAXException e) {
            throw new EvalInputException(xml + ": malformed XML: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new EvalInputException(xml + ": cannot read annotation (" + e.getClass().getSimpleName() + ")");
        }
        List<VocObject> out = new ArrayList<>();
        NodeList objs = doc.getDocumentElement().getChildNodes();
        int n = 0;
        for (int i = 0; i < objs.getLength(); i++) {
            Node node = objs.item(i);
            if (!(node instanceof Element o) || !o.getTagName().equals("object")) continue;
            String at = xml + ": object #" + (++n);
            String name = text(o, "name", at);
            String diff = VocXml.optText(o, "difficult");
            boolean difficult;
            try {
                // a missing <difficult> reads as 0, as the devkit's own MATLAB reader does
                difficult = diff != null && Integer.parseInt(diff) != 0;
            } catch (NumberFormatException e) {
                throw new EvalInputException(at + ": <difficult> is not an integer: '" + diff + "'");
            }
            Element bb = VocXml.child(o, "bndbox");
            if (bb == null) throw new EvalInputException(at + ": no <bndbox>");
            double[] v = new double[4];
            String[] tags = {"xmin", "ymin", "xmax", "ymax"};
            for (int k = 0; k < 4; k++) {
                String t = text(bb, tags[k], at + " <bndbox>");
                try {
                    v[k] = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new EvalInputException(at + ": <" + tags[k] + "> is not a number: '" + t + "'");
                }
            }
            out.add(new VocObject(name, v[0], v[1], v[2], v[3], difficult));
        }
        return out;
    }

    private static String text(Element e, String tag, String at) {
        String t = VocXml.optText(e, tag);
        if (t == null || t.isEmpty()) throw new EvalInputException(at + ": no <" + tag + ">");
        return t;
    }
}
