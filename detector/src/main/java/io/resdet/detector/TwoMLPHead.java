package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Functional;
import io.resdet.nn.Linear;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

/** torchvision's {@code TwoMLPHead} (v1 box head): flatten → fc6 → ReLU → fc7 → ReLU. */
public final class TwoMLPHead extends Module {
    private final Linear fc6;
    private final Linear fc7;

    public TwoMLPHead(NDManager m, int inChannels, int representationSize) {
        super(m);
        fc6 = child("fc6", new Linear(m, inChannels, representationSize));
        fc7 = child("fc7", new Linear(m, representationSize, representationSize));
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray flat = x.reshape(x.getShape().get(0), -1);
            return Functional.relu(fc7.forward(Functional.relu(fc6.forward(flat))));
        });
    }
}
