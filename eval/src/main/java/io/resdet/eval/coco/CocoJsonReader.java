package io.resdet.eval.coco;

import com.fasterxml.jackson.core.JsonToken;
import io.resdet.eval.EvalInputException;
import io.resdet.eval.util.GrowableDoubles;
import io.resdet.eval.util.GrowableLongs;
import io.resdet.eval.util.JsonCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Streaming readers for COCO instances and results files; unknown fields are skipped. */
final class CocoJsonReader {
    private CocoJsonReader() {
    }

    static CocoGroundTruth readGroundTruth(Path path) {
        GrowableLongs images = new GrowableLongs();
        GrowableLongs cats = new GrowableLongs();
        List<String> catNames = new ArrayList<>();
        GrowableLongs annId = new GrowableLongs(), annImg = new GrowableLongs(), annCat = new GrowableLongs();
        GrowableDoubles x = new GrowableDoubles(), y = new GrowableDoubles(), w = new GrowableDoubles(),
                h = new GrowableDoubles(), area = new GrowableDoubles(), crowd = new GrowableDoubles();
        boolean sawImages = false, sawAnnotations = false, sawCategories = false;
        try (JsonCursor c = JsonCursor.open(path)) {
            c.next();
            c.expect(JsonToken.START_OBJECT, "a COCO instances object {images, annotations, categories}");
            while (c.next() != JsonToken.END_OBJECT) {
                String field = c.fieldName();
                c.next();
                switch (field) {
                    case "images" -> {
                        sawImages = true;
                        forEachObject(c, "images", i -> {
                            long id = Long.MIN_VALUE;
                            while (c.next() != JsonToken.END_OBJECT) {
                                String f = c.fieldName();
                                c.next();
                                if (f.equals("id")) id = c.integer("id");
                                else c.skipValue();
                            }
                            if (id == Long.MIN_VALUE) throw c.fail(c.where(null) + " has no id");
                            images.add(id);
                        });
                    }
                    case "categories" -> {
                        sawCategories = true;
                        forEachObject(c, "categories", i -> {
                            long id = Long.MIN_VALUE;
                            String name = null;
                            while (c.next() != JsonToken.END_OBJECT) {
                                String f = c.fieldName();
                                c.next();
                                if (f.equals("id")) id = c.integer("id");
                                else if (f.equals("name") && c.current() == JsonToken.VALUE_STRING) name = c.text("name");
                                else c.skipValue();
                            }
                            if (id == Long.MIN_VALUE) throw c.fail(c.where(null) + " has no id");
                            cats.add(id);
                            catNames.add(name);
                        });
                    }
                    case "annotations" -> {
                        sawAnnotations = true;
                        double[] box = new double[4];
                        forEachObject(c, "annotations", i -> {
                            long id = 0, img = Long.MIN_VALUE, cat = Long.MIN_VALUE;
                            double ar = Double.NaN;
                            boolean isCrowd = false, hasBox = false;
                            while (c.next() != JsonToken.END_OBJECT) {
                                String f = c.fieldName();
                                c.next();
                                switch (f) {
                                    case "id" -> id = c.integer("id");
                                    case "image_id" -> img = c.integer("image_id");
                                    case "category_id" -> cat = c.integer("category_id");
                                    case "area" -> ar = c.number("area");
                                    case "iscrowd" -> isCrowd = flag(c, "iscrowd");
                                    case "bbox" -> {
                                        readBox(c, box);
                                        hasBox = true;
                                    }
                                    default -> c.skipValue();
                                }
                            }
                            if (img == Long.MIN_VALUE) throw c.fail(c.where(null) + " has no image_id");
                            if (cat == Long.MIN_VALUE) throw c.fail(c.where(null) + " has no category_id");
                            if (!hasBox) throw c.fail(c.where(null) + " has no bbox");
                            if (box[2] < 0 || box[3] < 0) throw c.fail(c.where("bbox") + " has a negative width or height");
                            // A missing area falls back to w*h, which is what COCO's own files hold for boxes.
                            if (Double.isNaN(ar)) ar = box[2] * box[3];
                            annId.add(id);
                            annImg.add(img);
                            annCat.add(cat);
                            x.add(box[0]);
                            y.add(box[1]);
                            w.add(box[2]);
                            h.add(box[3]);
                            area.add(ar);
                            crowd.add(isCrowd ? 1 : 0);
                        });
                    }
                    default -> c.skipValue();
                }
            }
        }
        String src = path.toString();
        if (!sawImages) throw new EvalInputException(src + ": no \"images\" list (is this a COCO instances file?)");
        if (!sawAnnotations) throw new EvalInputException(src + ": no \"annotations\" list (is this a COCO instances file?)");
        if (!sawCategories) throw new EvalInputException(src + ": no \"categories\" list (is this a COCO instances file?)");
        double[] cr = crowd.toArray();
        boolean[] isCrowd = new boolean[cr.length];
        for (int i = 0; i < cr.length; i++) isCrowd[i] = cr[i] != 0;
        return new CocoGroundTruth(src, images.toArray(), cats.toArray(), catNames.toArray(new String[0]),
                annId.toArray(), annImg.toArray(), annCat.toArray(),
                x.toArray(), y.toArray(), w.toArray(), h.toArray(), area.toArray(), isCrowd);
    }

    static CocoDetections readDetections(Path path, CocoGroundTruth gt) {
        return readRawDetections(path).resolve(gt);
    }

    /** Detections with image and category still as ids, so that they can be read while the GT is. */
    record RawDetections(String source, long[] img, long[] cat, double[] x, double[] y, double[] w, double[] h, double[] score) {
        CocoDetections resolve(CocoGroundTruth gt) {
            return new CocoDetections(source, gt, img, cat, x, y, w, h, score);
        }
    }

    static RawDetections readRawDetections(Path path) {
        GrowableLongs img = new GrowableLongs(), cat = new GrowableLongs();
        GrowableDoubles x = new GrowableDoubles(), y = new GrowableDoubles(), w = new GrowableDoubles(),
                h = new GrowableDoubles(), score = new GrowableDoubles();
        double[] box = new double[4];
        try (JsonCursor c = JsonCursor.open(path)) {
            c.next();
            c.expect(JsonToken.START_ARRAY, "a COCO results list [{image_id, category_id, bbox, score}, ...]");
            int i = 0;
            while (c.next() != JsonToken.END_ARRAY) {
                c.at("results", i);
                if (c.current() != JsonToken.START_OBJECT) c.expect(JsonToken.START_OBJECT, "results[" + i + "] as an object");
                long im = Long.MIN_VALUE, ca = Long.MIN_VALUE;
                double s = Double.NaN;
                boolean hasBox = false, hasScore = false;
                while (c.next() != JsonToken.END_OBJECT) {
                    String f = c.fieldName();
                    c.next();
                    switch (f) {
                        case "image_id" -> im = c.integer("image_id");
                        case "category_id" -> ca = c.integer("category_id");
                        case "score" -> {
                            s = c.number("score");
                            hasScore = true;
                        }
                        case "bbox" -> {
                            readBox(c, box);
                            hasBox = true;
                        }
                        default -> c.skipValue();
                    }
                }
                if (im == Long.MIN_VALUE) throw c.fail(c.where(null) + " has no image_id");
                if (ca == Long.MIN_VALUE) throw c.fail(c.where(null) + " has no category_id");
                if (!hasBox) throw c.fail(c.where(null) + " has no bbox (only bbox results are supported)");
                if (!hasScore) throw c.fail(c.where(null) + " has no score");
                img.add(im);
                cat.add(ca);
                x.add(box[0]);
                y.add(box[1]);
                w.add(box[2]);
                h.add(box[3]);
                score.add(s);
                i++;
            }
        }
        return new RawDetections(path.toString(), img.toArray(), cat.toArray(),
                x.toArray(), y.toArray(), w.toArray(), h.toArray(), score.toArray());
    }

    private interface Item {
        void read(int index);
    }

    private static void forEachObject(JsonCursor c, String list, Item item) {
        c.expect(JsonToken.START_ARRAY, "\"" + list + "\" as a list");
        int i = 0;
        while (c.next() != JsonToken.END_ARRAY) {
            c.at(list, i);
            if (c.current() != JsonToken.START_OBJECT) c.expect(JsonToken.START_OBJECT, list + "[" + i + "] as an object");
            item.read(i++);
        }
    }

    private static boolean flag(JsonCursor c, String field) {
        JsonToken t = c.current();
        if (t == JsonToken.VALUE_TRUE) return true;
        if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) return false;
        return c.number(field) != 0;
    }

    private static void readBox(JsonCursor c, double[] box) {
        if (c.current() != JsonToken.START_ARRAY) c.expect(JsonToken.START_ARRAY, c.where("bbox") + " as [x, y, w, h]");
        int k = 0;
        while (c.next() != JsonToken.END_ARRAY) {
            if (k == 4) throw c.fail(c.where("bbox") + " has more than 4 numbers");
            box[k] = c.number("bbox");
            if (Double.isNaN(box[k])) throw c.fail(c.where("bbox") + "[" + k + "] is NaN");
            k++;
        }
        if (k != 4) throw c.fail(c.where("bbox") + " has " + k + " numbers, expected 4 [x, y, w, h]");
    }
}
