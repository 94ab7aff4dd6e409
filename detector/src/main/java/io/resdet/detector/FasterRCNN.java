package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

    FasterRCNN(NDManager m, String name, GeneralizedRCNNTransform transform, BackboneWithFPN backbone,
               RegionProposalNetwork rpn, RoIHeads roiHeads) {
        super(m);
        this.name = name;
        this.transform = transform;
        this.backbone = child("backbone", backbone);
        this.rpn = child("rpn", rpn);
        this.roiHeads = child("roi_heads", roiHeads);
    }

    public String name() {
        return name;
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
     * best first. Arrays belong to the caller's scope or the images' manager.
     */
    public List<RoIHeads.Result> detect(List<NDArray> images, RoIHeads.HeadsConfig heads) {
        Trace t = trace(images, heads, transform);
        List<RoIHeads.Result> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            RoIHeads.Result r = t.detections().get(i);
            long[] orig = {images.get(i).getShape().get(1), images.get(i).getShape().get(2)};
            out.add(new RoIHeads.Result(GeneralizedRCNNTransform.postprocessBoxes(r.boxes(), t.images().imageSizes().get(i), orig),
                    r.scores(), r.labels()));
        }
        StageTimer.lap("postprocess");
        return out;
    }

    /** Runs every stage and keeps their outputs (boxes in resized coordinates). */
    public Trace trace(List<NDArray> images, RoIHeads.HeadsConfig heads, GeneralizedRCNNTransform tf) {
        ImageList il = tf.apply(images);
        StageTimer.lap("transform");
        Map<String, NDArray> features = backbone.features(il.tensors());
        StageTimer.lap("backbone");
        List<NDArray> proposals = rpn.forward(il, features);
        StageTimer.lap("rpn");
        List<RoIHeads.Result> dets = roiHeads.forward(features, proposals, il.imageSizes(), heads);
        return new Trace(il, features, proposals, dets);
    }

    /** A convenience that frees every intermediate: only the returned results survive. */
    public List<RoIHeads.Result> detectScoped(List<NDArray> images, RoIHeads.HeadsConfig heads) {
        List<RoIHeads.Result> out = new ArrayList<>();
        Scopes.keepAll(() -> {
            ai.djl.ndarray.NDList keep = new ai.djl.ndarray.NDList();
            for (RoIHeads.Result r : detect(images, heads)) {
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
