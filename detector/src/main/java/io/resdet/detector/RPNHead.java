package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;
import io.resdet.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code RPNHead}: {@code convDepth} 3×3 conv+ReLU layers shared across levels (1 for v1,
 * 2 for v2; keys {@code conv.0.0.weight}), then 1×1 convs to A objectness logits and 4A box deltas.
 * Weights start as N(0, 0.01), biases 0.
 */
public final class RPNHead extends Module {
    private final List<Conv2d> convs = new ArrayList<>();
    private final Conv2d clsLogits;
    private final Conv2d bboxPred;

    public RPNHead(NDManager m, int inChannels, int numAnchors, int convDepth) {
        super(m);
        Sequential conv = child("conv", new Sequential(m));
        for (int i = 0; i < convDepth; i++) {
            Conv2d c = new Conv2d(m, inChannels, inChannels, 3, 1, 1, 1, true);
            convs.add(c);
            conv.add(new Sequential(m).add(c));
        }
        clsLogits = child("cls_logits", new Conv2d(m, inChannels, numAnchors, 1, 1, 0, 1, true));
        bboxPred = child("bbox_pred", new Conv2d(m, inChannels, numAnchors * 4, 1, 1, 0, 1, true));
        visit("", (p, mod) -> {
            if (mod instanceof Conv2d c) {
                c.weight().set(m.randomNormal(0f, 0.01f, c.weight().get().getShape(), c.weight().get().getDataType()));
                c.bias().set(m.zeros(c.bias().get().getShape()));
            }
        });
    }

    /** Per level: {objectness (N, A, H, W), deltas (N, 4A, H, W)}. */
    public List<NDArray[]> forward(List<NDArray> features) {
        List<NDArray[]> out = new ArrayList<>();
        for (NDArray f : features) {
            NDArray[] pair = new NDArray[2];
            Scopes.keepAll(() -> {
                NDArray t = f;
                for (Conv2d c : convs) t = Functional.relu(c.forward(t));
                pair[0] = clsLogits.forward(t);
                pair[1] = bboxPred.forward(t);
                return new ai.djl.ndarray.NDList(pair);
            });
            out.add(pair);
        }
        return out;
    }
}
