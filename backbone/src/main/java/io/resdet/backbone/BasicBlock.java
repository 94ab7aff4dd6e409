package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;

import java.util.List;

/** torchvision's {@code BasicBlock} (two 3×3 convolutions, expansion 1); also the CIFAR ResNets' block. */
public final class BasicBlock extends ResidualBlock {
    public static final int EXPANSION = 1;
    private final Conv2d conv1;
    private final Module bn1;
    private final Conv2d conv2;
    private final Module bn2;

    public BasicBlock(NDManager m, int inplanes, int planes, int stride, Module downsample, NormLayer norm,
                      boolean residual) {
        super(m, residual, downsample);
        conv1 = child("conv1", Conv2d.conv3x3(m, inplanes, planes, stride, 1));
        bn1 = child("bn1", norm.create(m, planes));
        conv2 = child("conv2", Conv2d.conv3x3(m, planes, planes, 1, 1));
        bn2 = child("bn2", norm.create(m, planes));
        registerDownsample();
    }

    @Override
    public List<Module[]> convNormPairs() {
        return List.of(new Module[] {conv1, bn1}, new Module[] {conv2, bn2});
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray out = Functional.relu(bn1.forward(conv1.forward(x)));
            out = bn2.forward(conv2.forward(out));
            return Functional.relu(addShortcut(out, x));
        });
    }
}
