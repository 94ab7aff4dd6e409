package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Linear;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;
import io.resdet.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code FastRCNNConvFCHead} (v2 box head): 4 × [3×3 conv(no bias) + BN + ReLU], flatten,
 * fc + ReLU. Keys {@code 0.0.weight} ... {@code 3.1.running_var}, {@code 5.weight}.
 */
public final class FastRCNNConvFCHead extends Module {
    private final List<Sequential> convs = new ArrayList<>();
    private final Linear fc;

    public FastRCNNConvFCHead(NDManager m, int inChannels, int resolution, int convChannels, int numConvs,
                              int fcSize, NormLayer norm) {
        super(m);
        int c = inChannels;
        for (int i = 0; i < numConvs; i++) {
            Sequential s = child(Integer.toString(i), new Sequential(m));
            Conv2d conv = new Conv2d(m, c, convChannels, 3, 1, 1, 1, false);
            s.add(conv).add(norm.create(m, convChannels));
            convs.add(s);
            c = convChannels;
        }
        fc = child(Integer.toString(numConvs + 1), new Linear(m, c * resolution * resolution, fcSize));
        // torchvision: kaiming_normal_(fan_out, relu) for these convs
        for (Sequential s : convs) {
            Conv2d conv = (Conv2d) s.layers().get(0);
            conv.weight().set(io.resdet.nn.Init.kaimingNormalFanOut(m, conv.weight().get().getShape()));
        }
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray y = x;
            for (Sequential s : convs) y = Functional.relu(s.forward(y));
            return Functional.relu(fc.forward(y.reshape(y.getShape().get(0), -1)));
        });
    }
}
