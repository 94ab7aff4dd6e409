package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.MemoryFormat;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Faster R-CNN (torchvision's {@code GeneralizedRCNN} + {@code FasterRCNN}): transform → backbone with
 * FPN → RPN → RoI heads → boxes in original pixels. State-dict keys are torchvision's
 * ({@code backbone.body.*}, {@code backbone.fpn.*}, {@code rpn.head.*}, {@code roi_heads.*}). Build one with
 * {@link FasterRCNNs}.
 */
public final class FasterRCNN extends Module {
    private final GeneralizedRCNNTransform transform;
    private final BackboneWithFPN backbone;
    private final RegionProposalNetwork rpn;
    private final RoIHeads roiHeads;
    private final String name;
    private final DetectorSpec spec;
    private ai.djl.ndarray.types.DataType computeType = ai.djl.ndarray.types.DataType.FLOAT32;
    private boolean channelsLast;

    FasterRCNN(NDManager m, String name, GeneralizedRCNNTransform transform, BackboneWithFPN backbone,
               RegionProposalNetwork rpn, RoIHeads roiHeads, DetectorSpec spec) {
        super(m);
        this.name = name;
        this.spec = spec;
        this.transform = transform;
        this.backbone = child("backbone", backbone);
        this.rpn = child("rpn", rpn);
        this.roiHeads = child("roi_heads", roiHeads);
    }

    public String name() {
        return name;
    }

    /**
     * Float16 inference, for GPUs: folds batch norm into the convolutions (in float32), then turns every weight
     * to float16; images enter the backbone in float16 after the float32 transform, and anchors, box decoding,
     * RoIAlign's sums, softmax and NMS stay in float32 ({@link Half}). Inference only: the state dict no longer
     * matches torchvision's. Works on any device; {@link Detector.Builder#optHalf} refuses the CPU, where float16
     * convolutions are slower than float32.
     */
    public FasterRCNN toHalf() {
        eval();
        requiresGrad(false);
        io.resdet.backbone.BatchNormFolding.fold(this);
        convertFloats(ai.djl.ndarray.types.DataType.FLOAT16);
        computeType = ai.djl.ndarray.types.DataType.FLOAT16;
        return this;
    }

    /**
     * Inference speed-ups that keep torchvision's results (to float rounding; the parity tests run this way too):
     * eval mode without autograd, batch norm folded into the convolutions (v1's backbone is all frozen batch norm: two
     * passes over every activation saved), and on the CPU the {@linkplain MemoryFormat#channelsLast channels-last}
     * layout for the convolutions' weights and the backbone's input, so oneDNN computes without reordering each
     * convolution's input and output (backbone 1.7 → 1.06 s for an 800×1216 image on 2 Zen 4 cores; with
     * {@code -Dresdet.nchw=true} the layout stays NCHW, to measure that). Inference only: the state dict no longer
     * matches torchvision's.
     */
    public FasterRCNN optimizeForInference() {
        eval();
        requiresGrad(false);
        io.resdet.backbone.BatchNormFolding.fold(this);
        if (!getManager().getDevice().isGpu() && !Boolean.getBoolean("resdet.nchw")) {
            visit("", (prefix, m) -> {
                if (m instanceof io.resdet.nn.Conv2d c && c.weight().get().getShape().dimension() == 4) {
                    c.weight().set(MemoryFormat.channelsLast(c.weight().get()));
                }
            });
            channelsLast = true;
        }
        return this;
    }

    /** The type convolutions and linear layers compute in: float32, or float16 after {@link #toHalf()}. */
    public ai.djl.ndarray.types.DataType computeType() {
        return computeType;
    }

    /** How this network was built (class names not included: see {@link DetectorSpec#withClassNames}). */
    public DetectorSpec spec() {
        return spec;
    }

    public GeneralizedRCNNTransform transform() {
        return transform;
    }

    public BackboneWithFPN backbone() {
        return backbone;
    }

    public RegionProposalNetwork rpn() {
        return rpn;
    }

    public RoIHeads roiHeads() {
        return roiHeads;
    }

    public int numClasses() {
        return roiHeads.predictor().numClasses();
    }

    /** Everything a parity check or a profile wants to look at for one batch. */
    public record Trace(ImageList images, Map<String, NDArray> features, List<NDArray> proposals,
                        List<RoIHeads.Result> detections) {}

    /**
     * Inference on images (3, H, W) in [0, 1]: per image, boxes in original pixels, scores and labels,
     * best first, scored above the RoI heads' threshold (set once, when the network is built). Arrays belong to the
     * caller's scope or the images' manager.
     */
    public List<RoIHeads.Result> detect(List<NDArray> images) {
        Trace t = trace(images, transform);
        List<RoIHeads.Result> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            RoIHeads.Result r = t.detections().get(i);
            long[] orig = {images.get(i).getShape().get(1), images.get(i).getShape().get(2)};
            out.add(new RoIHeads.Result(GeneralizedRCNNTransform.postprocessBoxes(r.boxes(), t.images().imageSizes().get(i), orig),
                    r.scores(), r.labels()));
        }
        StageTimer.lap("postprocess", out.isEmpty() ? null : out.get(out.size() - 1).scores());
        return out;
    }

    /** The four training losses of one batch, torchvision's names; scalars with autograd history. */
    public record TrainLosses(NDArray objectness, NDArray rpnBoxReg, NDArray classifier, NDArray boxReg) {
        public NDArray total() {
            return objectness.add(rpnBoxReg).add(classifier).add(boxReg);
        }

        /** {@code loss_objectness}, {@code loss_rpn_box_reg}, {@code loss_classifier}, {@code loss_box_reg}. */
        public Map<String, Double> values() {
            Map<String, Double> out = new java.util.LinkedHashMap<>();
            out.put("loss_objectness", (double) objectness.getFloat());
            out.put("loss_rpn_box_reg", (double) rpnBoxReg.getFloat());
            out.put("loss_classifier", (double) classifier.getFloat());
            out.put("loss_box_reg", (double) boxReg.getFloat());
            return out;
        }
    }

    /**
     * torchvision's training forward ({@code model(images, targets)} in train mode): images (3, H, W) in [0, 1],
     * targets in the images' own pixels. Call {@link #train(boolean) train(true)} first so batch norm (when not
     * frozen) uses batch statistics. {@code rng} draws the scale-jitter sizes (may be null).
     */
    public TrainLosses forwardTrain(List<NDArray> images, List<DetectionTarget> targets, java.util.Random rng) {
        if (images.size() != targets.size()) throw new IllegalArgumentException(images.size() + " images but " + targets.size() + " targets");
        List<DetectionTarget> resized = new ArrayList<>(targets);
        ImageList il = transform.apply(images, resized, rng);
        checkBoxes(resized);
        StageTimer.lap("transform");
        Map<String, NDArray> features = backbone.features(il.tensors());
        StageTimer.lap("fpn");
        RegionProposalNetwork.Output rpnOut = rpn.forward(il, features, resized);
        StageTimer.lap("rpn");
        RoIHeads.TrainResult heads = roiHeads.forwardTrain(features, rpnOut.proposals(), il.imageSizes(), resized);
        StageTimer.lap("roi_heads");
        return new TrainLosses(rpnOut.objectnessLoss(), rpnOut.boxLoss(), heads.classifier(), heads.boxReg());
    }

    /** torchvision refuses boxes with non-positive width or height; so do we, naming the image. */
    private static void checkBoxes(List<DetectionTarget> targets) {
        for (int i = 0; i < targets.size(); i++) {
            float[] b = targets.get(i).boxes().toFloatArray();
            for (int k = 0; k + 3 < b.length; k += 4) {
                if (!(b[k + 2] > b[k] && b[k + 3] > b[k + 1])) {
                    throw new IllegalArgumentException("image " + i + " of the batch has a degenerate box "
                            + java.util.Arrays.toString(java.util.Arrays.copyOfRange(b, k, k + 4)) + "; all boxes need positive height and width");
                }
            }
        }
    }

    /** Runs every stage and keeps their outputs (boxes in resized coordinates). */
    public Trace trace(List<NDArray> images, GeneralizedRCNNTransform tf) {
        ImageList il = tf.apply(images);
        StageTimer.lap("transform", il.tensors());
        NDArray input = il.tensors();
        if (computeType != input.getDataType()) input = input.toType(computeType, false);
        if (channelsLast) input = MemoryFormat.channelsLast(input);
        Map<String, NDArray> features = backbone.features(input);
        StageTimer.lap("fpn", features.values().iterator().next());
        List<NDArray> proposals = rpn.forward(il, features);
        StageTimer.lap("rpn");
        List<RoIHeads.Result> dets = roiHeads.forward(features, proposals, il.imageSizes());
        return new Trace(il, features, proposals, dets);
    }

    /** A convenience that frees every intermediate: only the returned results survive. */
    public List<RoIHeads.Result> detectScoped(List<NDArray> images) {
        List<RoIHeads.Result> out = new ArrayList<>();
        Scopes.keepAll(() -> {
            ai.djl.ndarray.NDList keep = new ai.djl.ndarray.NDList();
            for (RoIHeads.Result r : detect(images)) {
                out.add(r);
                keep.add(r.boxes());
                keep.add(r.scores());
                keep.add(r.labels());
            }
            return keep;
        });
        return out;
    }
}
