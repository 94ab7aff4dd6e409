package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Linear;
import io.resdet.nn.Module;

/** torchvision's {@code FastRCNNPredictor}: class logits and per-class box deltas from the box features. */
public final class FastRCNNPredictor extends Module {
    private final Linear clsScore;
    private final Linear bboxPred;

    public FastRCNNPredictor(NDManager m, int inChannels, int numClasses) {
        super(m);
        clsScore = child("cls_score", new Linear(m, inChannels, numClasses));
        bboxPred = child("bbox_pred", new Linear(m, inChannels, numClasses * 4));
    }

    public int numClasses() {
        return (int) clsScore.weight().get().getShape().get(0);
    }

    /** {class logits (K, numClasses), box deltas (K, 4·numClasses)}. */
    public NDArray[] forwardPair(NDArray x) {
        NDArray flat = x.getShape().dimension() > 2 ? x.reshape(x.getShape().get(0), -1) : x;
        NDArray[] out = {clsScore.forward(flat), bboxPred.forward(flat)};
        if (flat != x) flat.close();
        return out;
    }
}
