package io.resdet.detector.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesDatasetWriterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private ShapesDatasetWriter.Builder small(long seed) {
        return ShapesDatasetWriter.builder().setImages(12, 4).optClasses(8).optSize(96, 64).optSeed(seed);
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadsAndAnotherSeedDiffers() throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b"), c = dir.resolve("c");
        small(5).optThreads(1).build().write(a, null);
        small(5).optThreads(3).build().write(b, null);
        small(6).optThreads(2).build().write(c, null);
        List<Path> files = files(a);
        assertEquals(12 + 4 + 2 + 1, files.size(), files.toString());
        assertEquals(files.stream().map(a::relativize).toList(), files(b).stream().map(b::relativize).toList());
        for (Path f : files) assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))), f.toString());
        int same = 0;
        for (Path f : files) if (Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(c.resolve(a.relativize(f))))) same++;
        assertEquals(0, same, "another seed: every image, annotation file and README differs");
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("labels.txt")).sorted().toList();
        }
    }

    @Test
    void layoutLabelsAndCocoFilesForKClasses() throws IOException {
        Path out = dir.resolve("k3");
        ShapesDatasetWriter.Summary s = ShapesDatasetWriter.builder().setImages(20, 5).optClasses(3).optSeed(2).build().write(out, null);
        assertEquals(List.of("__background__", "circle", "rectangle", "triangle"), Files.readAllLines(out.resolve("labels.txt")));
        assertEquals(List.of("circle", "rectangle", "triangle", "ellipse", "diamond", "star", "cross", "hexagon"), ShapesDatasetWriter.SHAPES);
        assertEquals(List.of("__background__", "circle", "rectangle", "triangle"),
                io.resdet.detector.LabelMap.parse(out.resolve("labels.txt").toString()).names(), "the detector's label-file format");

        JsonNode train = JSON.readTree(out.resolve("annotations").resolve("instances_train.json").toFile());
        assertEquals(20, train.get("images").size());
        assertEquals(s.trainObjects(), train.get("annotations").size());
        assertEquals(3, train.get("categories").size());
        for (int k = 0; k < 3; k++) {
            assertEquals(k + 1, train.get("categories").get(k).get("id").asInt());
            assertEquals(ShapesDatasetWriter.SHAPES.get(k), train.get("categories").get(k).get("name").asText());
        }
        JsonNode img = train.get("images").get(0);
        assertEquals("000001.png", img.get("file_name").asText());
        assertEquals(1, img.get("id").asInt());
        assertEquals(160, img.get("width").asInt());
        assertEquals(160, img.get("height").asInt());
        Set<Integer> classesSeen = new HashSet<>();
        Set<Long> annIds = new HashSet<>();
        int[] perImage = new int[21];
        for (JsonNode a : train.get("annotations")) {
            assertTrue(annIds.add(a.get("id").asLong()));
            assertEquals(0, a.get("iscrowd").asInt());
            classesSeen.add(a.get("category_id").asInt());
            perImage[a.get("image_id").asInt()]++;
            JsonNode b = a.get("bbox");
            double x = b.get(0).asDouble(), y = b.get(1).asDouble(), w = b.get(2).asDouble(), h = b.get(3).asDouble();
            assertTrue(x >= 0 && y >= 0 && x + w <= 160 && y + h <= 160, "inside the image: " + b);
            assertTrue(Math.max(w, h) >= 6 && Math.max(w, h) <= 0.55 * 160 * 1.2, "12 px to 55% of the side (less when partly hidden): " + b);
            assertTrue(a.get("area").asDouble() > 0 && a.get("area").asDouble() <= w * h);
        }
        assertEquals(Set.of(1, 2, 3), classesSeen);
        for (int i = 1; i <= 20; i++) assertTrue(perImage[i] >= 1 && perImage[i] <= 6, "1..6 objects: " + perImage[i]);
        assertEquals(5, JSON.readTree(out.resolve("annotations").resolve("instances_val.json").toFile()).get("images").size());
        String readme = Files.readString(out.resolve("README.txt"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("resdet data synth --out OUT --images 20 --val 5 --classes 3 --width 160 --height 160 --max-objects 6 --seed 2"),
                readme);

        DetectionDataset ds = DetectionDatasets.open(out.toString(), true);
        assertEquals(20, ds.size());
        assertEquals(List.of("__background__", "circle", "rectangle", "triangle"), ds.classNames());
        assertEquals(2, ds.categoryId(2), "category ids are the labels");
        DetectionSample first = ds.get(0);
        assertEquals(perImage[1], first.numBoxes());
        JsonNode a0 = train.get("annotations").get(0);
        assertEquals(a0.get("bbox").get(0).asDouble(), first.boxes()[0]);
        assertEquals(a0.get("bbox").get(0).asDouble() + a0.get("bbox").get(2).asDouble(), first.boxes()[2], 1e-6);
        assertEquals(a0.get("category_id").asInt(), first.labels()[0]);
        assertEquals(5, DetectionDatasets.open(out.toString(), false).size(), "the val split");
    }

    @Test
    void boxesAreTheTightExtentOfTheDrawnPixels() throws IOException {
        Path out = dir.resolve("tight");
        ShapesDatasetWriter.builder().setImages(3, 1).optClasses(8).optSize(120, 90).optMaxObjects(8).optSeed(9).build().write(out, null);
        JsonNode train = JSON.readTree(out.resolve("annotations").resolve("instances_train.json").toFile());
        // the written file is the scene the test inspects below
        ShapesScene first = ShapesScene.generate(120, 90, 8, 8, ShapesDatasetWriter.imageSeed(9, 0, 0));
        assertArrayEquals(first.render().rgb(), Images.read(out.resolve("train").resolve("000001.png")).rgb());
        List<JsonNode> anns = new ArrayList<>();
        for (JsonNode a : train.get("annotations")) if (a.get("image_id").asInt() == 1) anns.add(a);
        assertEquals(first.objects().size(), anns.size());
        for (int i = 0; i < anns.size(); i++) {
            double[] box = first.targets().get(i).box();
            JsonNode b = anns.get(i).get("bbox");
            assertArrayEquals(new double[] {box[0], box[1], box[2] - box[0], box[3] - box[1]},
                    new double[] {b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()});
        }

        int objects = 0;
        for (long seed = 0; seed < 25; seed++) {
            ShapesScene scene = ShapesScene.generate(120, 90, 8, 8, seed);
            RgbImage with = scene.render();
            List<ShapesScene.Target> targets = scene.targets();
            for (int i = 0; i < targets.size(); i++, objects++) {
                // the pixels object i changes are the pixels drawn of it
                RgbImage without = scene.renderWithout(i);
                int x1 = Integer.MAX_VALUE, y1 = Integer.MAX_VALUE, x2 = -1, y2 = -1;
                for (int y = 0; y < 90; y++) {
                    for (int x = 0; x < 120; x++) {
                        int p = (y * 120 + x) * 3;
                        if (with.rgb()[p] != without.rgb()[p] || with.rgb()[p + 1] != without.rgb()[p + 1] || with.rgb()[p + 2] != without.rgb()[p + 2]) {
                            x1 = Math.min(x1, x);
                            y1 = Math.min(y1, y);
                            x2 = Math.max(x2, x + 1);
                            y2 = Math.max(y2, y + 1);
                        }
                    }
                }
                double[] box = targets.get(i).box();
                String what = "seed " + seed + " object " + i + " " + scene.objects().get(i).kind() + ": box " + Arrays.toString(box)
                        + " drawn " + x1 + "," + y1 + "," + x2 + "," + y2;
                assertTrue(Math.abs(box[0] - x1) <= 1 && Math.abs(box[1] - y1) <= 1 && Math.abs(box[2] - x2) <= 1 && Math.abs(box[3] - y2) <= 1, what);
            }
        }
        assertTrue(objects > 70, "enough objects checked: " + objects);
    }

    @Test
    void objectsOverlapLittleAndStayMostlyVisible() {
        int overlapping = 0;
        for (long seed = 100; seed < 140; seed++) {
            ShapesScene scene = ShapesScene.generate(160, 160, 8, 6, seed);
            List<ShapesScene.Placed> objs = scene.objects();
            List<ShapesScene.Target> targets = scene.targets();
            for (int i = 0; i < objs.size(); i++) {
                double full = ShapesScene.cells(objs.get(i).outline(), 160 * ShapesScene.SUB, 160 * ShapesScene.SUB).length
                        / (double) (ShapesScene.SUB * ShapesScene.SUB);
                assertTrue(targets.get(i).area() >= 0.7 * full, "seed " + seed + " object " + i + " visible " + targets.get(i).area() + " of " + full);
                for (int j = i + 1; j < objs.size(); j++) {
                    double iou = ShapesScene.iou(objs.get(i).outline().bounds(), objs.get(j).outline().bounds());
                    assertTrue(iou <= 0.3, "IoU " + iou);
                    if (iou > 0) overlapping++;
                }
            }
        }
        assertTrue(overlapping > 0, "some objects do overlap");
    }

    @Test
    void valImagesAreNotTrainImages() throws IOException {
        Path out = dir.resolve("split");
        ShapesDatasetWriter.builder().setImages(20, 20).optSize(64, 64).optSeed(3).build().write(out, null);
        Set<String> train = new HashSet<>();
        for (Path p : files(out.resolve("train"))) train.add(Arrays.toString(Images.read(p).rgb()));
        assertEquals(20, train.size(), "train images differ from each other");
        for (Path p : files(out.resolve("val"))) assertFalse(train.contains(Arrays.toString(Images.read(p).rgb())), p.toString());
    }

    @Test
    void rewritingReplacesEarlierOutputButNotOtherFiles() throws IOException {
        Path out = dir.resolve("again");
        ShapesDatasetWriter.builder().setImages(10, 2).optSize(48, 48).build().write(out, null);
        Files.writeString(out.resolve("notes.md"), "mine");
        ShapesDatasetWriter.builder().setImages(4, 1).optSize(48, 48).build().write(out, null);
        try (Stream<Path> s = Files.list(out.resolve("train"))) {
            assertEquals(4, s.count());
        }
        assertEquals("mine", Files.readString(out.resolve("notes.md")));
    }
}
