package io.resdet.eval.coco;

import io.resdet.eval.ProgressListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A seeded generator of a COCO-like ground truth and a noisy detector's results, sized like val2017
 * by default (5,000 images, 80 categories, ~7.3 objects per image, 100 detections per image).
 *
 * <p>Design: category frequencies are Zipf-like (a few categories dominate, as "person" does in
 * COCO); object sizes are log-uniform so roughly 40/35/25 % fall in small/medium/large; the GT
 * {@code area} is 60–100 % of the box (a mask is smaller than its box); ~1 % of objects are crowd
 * regions. The detector finds 85 % of objects with a jittered box (jitter grows for small objects),
 * adds lower-scored duplicates and localisation errors, then fills the image's quota with false
 * positives (background boxes and confused categories) at low scores.
 */
public final class SyntheticCoco {
    private final int images, categories, detsPerImage;
    private final long seed;

    public SyntheticCoco(int images, int categories, int detsPerImage, long seed) {
        if (images < 1 || categories < 1 || detsPerImage < 0) throw new IllegalArgumentException("sizes must be positive");
        this.images = images;
        this.categories = categories;
        this.detsPerImage = detsPerImage;
        this.seed = seed;
    }

    /** Category id of index k: COCO-like gaps (every 12th id is unused). */
    static long categoryId(int k) {
        return k + 1 + k / 11;
    }

    /** Writes {@code gt.json} and {@code dt.json} into {@code dir}; returns the number of GT objects. */
    public long write(Path dir, ProgressListener progress) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] cum = new double[categories];
        double s = 0;
        for (int k = 0; k < categories; k++) {
            s += 1.0 / Math.pow(k + 1, 0.9);
            cum[k] = s;
        }
        long annId = 1, nGt = 0;
        try {
            Files.createDirectories(dir);
            try (BufferedWriter gt = Files.newBufferedWriter(dir.resolve("gt.json"), StandardCharsets.UTF_8);
                 CocoResultsWriter dt = new CocoResultsWriter(dir.resolve("dt.json"))) {
                gt.write("{\"info\":{\"description\":\"resdet synthetic COCO case\",\"seed\":" + seed + "},\n\"images\":[");
                StringBuilder anns = new StringBuilder(1 << 16);
                Path annTmp = Files.createTempFile(dir, "annotations", ".part");
                try (BufferedWriter aw = Files.newBufferedWriter(annTmp, StandardCharsets.UTF_8)) {
                    for (int i = 0; i < images; i++) {
                        long imageId = 1 + (long) i * 7 + rnd.nextInt(7); // sparse ascending ids, like COCO's
                        int width = 480 + rnd.nextInt(161), height = 360 + rnd.nextInt(121);
                        gt.write((i == 0 ? "\n" : ",\n") + "{\"id\":" + imageId + ",\"width\":" + width + ",\"height\":" + height
                                + ",\"file_name\":\"" + imageId + ".jpg\"}");
                        int nObj = objectsInImage(rnd);
                        double[][] obj = new double[nObj][];
                        int[] objCat = new int[nObj];
                        boolean[] crowd = new boolean[nObj];
                        for (int o = 0; o < nObj; o++) {
                            objCat[o] = pick(rnd, cum);
                            crowd[o] = rnd.nextDouble() < 0.01;
                            double side = Math.exp(Math.log(6) + rnd.nextDouble() * (Math.log(420) - Math.log(6)));
                            if (crowd[o]) side = Math.max(side, 120);
                            double aspect = Math.exp(rnd.nextGaussian() * 0.5);
                            double w = Math.min(width - 1, side * Math.sqrt(aspect)), h = Math.min(height - 1, side / Math.sqrt(aspect));
                            double x = rnd.nextDouble() * (width - w), y = rnd.nextDouble() * (height - h);
                            obj[o] = new double[] {round2(x), round2(y), round2(w), round2(h)};
                            double area = round2(obj[o][2] * obj[o][3] * (0.6 + 0.4 * rnd.nextDouble()));
                            anns.setLength(0);
                            anns.append(annId == 1 ? "\n" : ",\n").append("{\"id\":").append(annId++).append(",\"image_id\":").append(imageId)
                                    .append(",\"category_id\":").append(categoryId(objCat[o])).append(",\"bbox\":[")
                                    .append(CocoResultsWriter.num(obj[o][0], 100)).append(',').append(CocoResultsWriter.num(obj[o][1], 100)).append(',')
                                    .append(CocoResultsWriter.num(obj[o][2], 100)).append(',').append(CocoResultsWriter.num(obj[o][3], 100))
                                    .append("],\"area\":").append(CocoResultsWriter.num(area, 100)).append(",\"iscrowd\":").append(crowd[o] ? 1 : 0).append('}');
                            aw.append(anns);
                            nGt++;
                        }
                        detections(rnd, dt, imageId, width, height, obj, objCat, crowd, cum);
                        if ((i + 1) % 500 == 0 || i + 1 == images) progress.update("images", i + 1, images);
                    }
                }
                gt.write("\n],\n\"annotations\":[");
                try (var in = Files.newBufferedReader(annTmp, StandardCharsets.UTF_8)) {
                    in.transferTo(gt);
                }
                Files.delete(annTmp);
                gt.write("\n],\n\"categories\":[");
                for (int k = 0; k < categories; k++) {
                    gt.write((k == 0 ? "\n" : ",\n") + "{\"id\":" + categoryId(k) + ",\"name\":\"class_" + categoryId(k) + "\",\"supercategory\":\"synthetic\"}");
                }
                gt.write("\n]}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        return nGt;
    }

    private void detections(SplittableRandom rnd, CocoResultsWriter dt, long imageId, int width, int height,
                            double[][] obj, int[] objCat, boolean[] crowd, double[] cum) {
        int budget = detsPerImage;
        for (int o = 0; o < obj.length && budget > 0; o++) {
            double[] b = obj[o];
            if (crowd[o]) {
                // detectors fire on the individuals inside a crowd region
                for (int j = 0; j < 3 && budget > 0; j++, budget--) {
                    double w = b[2] * (0.1 + 0.2 * rnd.nextDouble()), h = b[3] * (0.2 + 0.3 * rnd.nextDouble());
                    dt.add(imageId, categoryId(objCat[o]), b[0] + rnd.nextDouble() * (b[2] - w), b[1] + rnd.nextDouble() * (b[3] - h), w, h,
                            0.2 + 0.6 * rnd.nextDouble());
                }
                continue;
            }
            if (rnd.nextDouble() >= 0.85) continue; // missed
            // small objects are localised worse
            double jitter = 0.02 + 0.12 / Math.sqrt(Math.max(1, Math.sqrt(b[2] * b[3]) / 8));
            double score = 0.35 + 0.65 * Math.pow(rnd.nextDouble(), 0.6);
            int copies = rnd.nextDouble() < 0.25 ? 2 : 1;
            for (int c = 0; c < copies && budget > 0; c++, budget--) {
                double j = jitter * (c + 1);
                double w = Math.max(1, b[2] * Math.exp(rnd.nextGaussian() * j)), h = Math.max(1, b[3] * Math.exp(rnd.nextGaussian() * j));
                double x = b[0] + b[2] / 2 + rnd.nextGaussian() * j * b[2] - w / 2, y = b[1] + b[3] / 2 + rnd.nextGaussian() * j * b[3] - h / 2;
                int cat = rnd.nextDouble() < 0.05 ? pick(rnd, cum) : objCat[o]; // class confusion
                dt.add(imageId, categoryId(cat), clamp(x, 0, width), clamp(y, 0, height), w, h, score * (c == 0 ? 1 : 0.6));
            }
        }
        while (budget-- > 0) {
            double side = Math.exp(Math.log(8) + rnd.nextDouble() * (Math.log(300) - Math.log(8)));
            double aspect = Math.exp(rnd.nextGaussian() * 0.5);
            double w = Math.min(width, side * Math.sqrt(aspect)), h = Math.min(height, side / Math.sqrt(aspect));
            dt.add(imageId, categoryId(pick(rnd, cum)), rnd.nextDouble() * (width - w), rnd.nextDouble() * (height - h), w, h,
                    0.01 + 0.6 * Math.pow(rnd.nextDouble(), 3));
        }
    }

    private static int objectsInImage(SplittableRandom rnd) {
        // a geometric count with mean ~7.3, capped like COCO's busiest images
        double u = rnd.nextDouble();
        return (int) Math.min(60, Math.floor(Math.log(1 - u) / Math.log(1 - 1 / 8.3)));
    }

    private static int pick(SplittableRandom rnd, double[] cum) {
        double u = rnd.nextDouble() * cum[cum.length - 1];
        int lo = 0, hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] < u) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
