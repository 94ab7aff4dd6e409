package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.resdet.detector.ops.AnchorGenerator;
import io.resdet.detector.ops.BoxCoder;
import io.resdet.detector.ops.BoxOps;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code RegionProposalNetwork} at inference: anchors, head, decode, then per image: top
 * {@code preNmsTopN} per level by logit, clip, drop boxes with a side under {@code minSize}, drop scores
 * under {@code scoreThresh} (on the sigmoid), NMS per level, keep the best {@code postNmsTopN}.
 */
public final class RegionProposalNetwork extends Module {
    private final AnchorGenerator anchorGenerator;
    private final RPNHead head;
    private final BoxCoder boxCoder = BoxCoder.rpn();
    private final RpnConfig config;

    /** Proposal-selection settings; torchvision's defaults via {@link #defaults()}. */
    public record RpnConfig(int preNmsTopNTrain, int preNmsTopNTest, int postNmsTopNTrain, int postNmsTopNTest,
                            double nmsThresh, float minSize, float scoreThresh) {
        public static RpnConfig defaults() {
            return new RpnConfig(2000, 1000, 2000, 1000, 0.7, 1e-3f, 0f);
        }
    }

    public RegionProposalNetwork(NDManager m, AnchorGenerator anchors, RPNHead head, RpnConfig config) {
        super(m);
        this.anchorGenerator = anchors;
        this.head = child("head", head);
        this.config = config;
    }

    public RpnConfig config() {
        return config;
    }

    /** Proposals (K_i, 4) per image, best first. */
    public List<NDArray> forward(ImageList images, Map<String, NDArray> features) {
        List<NDArray> feats = new ArrayList<>(features.values());
        int numImages = (int) images.tensors().getShape().get(0);
        List<NDArray> result = new ArrayList<>();
        Scopes.keepAll(() -> {
            List<NDArray[]> raw = head.forward(feats);
            List<NDArray> anchors = anchorGenerator.forward(images.paddedHeight(), images.paddedWidth(), numImages,
                    new NDList(feats));
            long[] perLevel = new long[feats.size()];
            NDList objectness = new NDList(), deltas = new NDList();
            for (int l = 0; l < raw.size(); l++) {
                NDArray cls = raw.get(l)[0], reg = raw.get(l)[1];
                long n = cls.getShape().get(0), a = cls.getShape().get(1), h = cls.getShape().get(2), w = cls.getShape().get(3);
                perLevel[l] = a * h * w;
                objectness.add(permuteAndFlatten(cls, n, a, 1, h, w));
                deltas.add(permuteAndFlatten(reg, n, a, 4, h, w));
            }
            NDArray obj = NDArrays.concat(objectness, 1).reshape(numImages, -1);
            NDArray reg = NDArrays.concat(deltas, 1).reshape(-1, 4);
            NDArray allAnchors = NDArrays.concat(new NDList(anchors), 0);
            NDArray proposals = boxCoder.decodeSingle(reg.stopGradient(), allAnchors).reshape(numImages, -1, 4);
            for (int i = 0; i < numImages; i++) {
                result.add(filter(proposals.get(i), obj.get(i).stopGradient(), perLevel, images.imageSizes().get(i)));
            }
            return new NDList(result);
        });
        return result;
    }

    static NDArray permuteAndFlatten(NDArray layer, long n, long a, long c, long h, long w) {
        return layer.reshape(n, a, c, h, w).transpose(0, 3, 4, 1, 2).reshape(n, -1, c);
    }

    private NDArray filter(NDArray boxes, NDArray logits, long[] perLevel, long[] imageSize) {
        int preNms = training ? config.preNmsTopNTrain() : config.preNmsTopNTest();
        int postNms = training ? config.postNmsTopNTrain() : config.postNmsTopNTest();
        NDList idx = new NDList(), lvl = new NDList();
        long offset = 0;
        NDManager m = boxes.getManager();
        for (int l = 0; l < perLevel.length; l++) {
            NDArray levelLogits = logits.get(new NDIndex("{}:{}", offset, offset + perLevel[l]));
            int k = (int) Math.min(preNms, perLevel[l]);
            NDArray top = levelLogits.topK(k, 0, true, true).get(1).add(offset);
            idx.add(top);
            lvl.add(m.full(new ai.djl.ndarray.types.Shape(k), l, DataType.INT64).toDevice(boxes.getDevice(), false));
            offset += perLevel[l];
        }
        NDArray topIdx = NDArrays.concat(idx, 0);
        NDArray levels = NDArrays.concat(lvl, 0);
        NDArray b = boxes.get(new NDIndex("{}", topIdx));
        NDArray s = ai.djl.nn.Activation.sigmoid(logits.get(new NDIndex("{}", topIdx)));
        b = BoxOps.clipBoxesToImage(b, imageSize[0], imageSize[1]);
        NDArray keep = BoxOps.removeSmallBoxes(b, config.minSize());
        b = b.get(new NDIndex("{}", keep));
        s = s.get(new NDIndex("{}", keep));
        levels = levels.get(new NDIndex("{}", keep));
        NDArray ok = s.gte(config.scoreThresh()); // ">=" as torchvision, for backwards compatibility
        b = b.get(new NDIndex("{}", ok));
        s = s.get(new NDIndex("{}", ok));
        levels = levels.get(new NDIndex("{}", ok));
        keep = BoxOps.batchedNms(b, s, levels, config.nmsThresh());
        if (keep.getShape().get(0) > postNms) keep = keep.get(new NDIndex(":{}", postNms));
        return b.get(new NDIndex("{}", keep));
    }
}
