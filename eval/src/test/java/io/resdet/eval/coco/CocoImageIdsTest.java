package io.resdet.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.eval.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pycocotools' {@code params.imgIds}: evaluating some images of a GT gives exactly what evaluating a GT cut to those
 * images (every category kept) and their detections gives.
 */
class CocoImageIdsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void imageIdsEqualAGroundTruthCutToThoseImages(@TempDir Path tmp) throws IOException {
        new SyntheticCoco(300, 12, 30, 7).write(tmp, ProgressListener.NONE);
        CocoGroundTruth gt = CocoGroundTruth.read(tmp.resolve("gt.json"));
        // twelve images from all over the set, given unsorted and with a repeat, as a caller might
        long[] all = gt.imageIds();
        long[] some = new long[13];
        for (int i = 0; i < 12; i++) some[i] = all[(i * 97 + 5) % all.length];
        some[12] = some[3];
        CocoEvalResult restricted = CocoEval.evaluate(gt, CocoDetections.read(tmp.resolve("dt.json"), gt),
                Params.builder().imageIds(some).build(), ProgressListener.NONE);

        Set<Long> keep = new HashSet<>();
        for (long id : some) keep.add(id);
        Path cutGt = cut(tmp.resolve("gt.json"), tmp.resolve("gt_cut.json"), keep);
        Path cutDt = cut(tmp.resolve("dt.json"), tmp.resolve("dt_cut.json"), keep);
        CocoEvalResult onCut = CocoEval.evaluateFiles(cutGt, cutDt, Params.defaults(), ProgressListener.NONE);

        assertArrayEquals(onCut.stats(), restricted.stats(), 0.0);
        assertArrayEquals(onCut.perCategoryAp(), restricted.perCategoryAp(), 0.0);
        assertEquals(onCut.summaryLines(), restricted.summaryLines());
        double whole = CocoEval.evaluateFiles(tmp.resolve("gt.json"), tmp.resolve("dt.json"), Params.defaults(), ProgressListener.NONE).stats()[0];
        assertTrue(Math.abs(whole - restricted.stats()[0]) > 1e-3, "a subset that scores like the whole proves nothing: " + whole);
        assertArrayEquals(Arrays.stream(some).sorted().distinct().toArray(), Params.builder().imageIds(some).build().imageIds());
    }

    /** A GT keeps its categories and loses other images and their annotations; a results list loses other images. */
    private static Path cut(Path in, Path out, Set<Long> images) throws IOException {
        JsonNode root = JSON.readTree(in.toFile());
        if (root.isArray()) {
            ArrayNode a = JSON.createArrayNode();
            for (JsonNode d : root) if (images.contains(d.get("image_id").asLong())) a.add(d);
            JSON.writeValue(out.toFile(), a);
            return out;
        }
        ObjectNode o = (ObjectNode) root;
        ArrayNode ims = JSON.createArrayNode(), anns = JSON.createArrayNode();
        for (JsonNode im : o.get("images")) if (images.contains(im.get("id").asLong())) ims.add(im);
        for (JsonNode a : o.get("annotations")) if (images.contains(a.get("image_id").asLong())) anns.add(a);
        o.set("images", ims);
        o.set("annotations", anns);
        JSON.writeValue(out.toFile(), o);
        return out;
    }
}
