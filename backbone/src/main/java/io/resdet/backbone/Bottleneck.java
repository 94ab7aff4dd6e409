package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;

import java.util.List;

/**
 * torchvision's {@code Bottleneck} ("ResNet v1.5"): 1×1 reduce, 3×3 with the stride and the groups, 1×1
 * expand ×4. {@code width = planes * (baseWidth / 64) * groups} gives ResNeXt and Wide ResNet.
 */
public final class Bottleneck extends ResidualBlock {
    public static final int EXPANSION = 4;
    private final Conv2d conv1;
    private final Module bn1;
    private final Conv2d conv2;
    private final Module bn2;
    private final Conv2d conv3;
    private final Module bn3;

    public Bottleneck(NDManager m, int inplanes, int planes, int stride, Module downsample, int groups,
                      int baseWidth, NormLayer norm, boolean residual) {
        super(m, residual, downsample);
        int width = (int) (planes * (baseWidth / 64.0)) * groups;
        conv1 = child("conv1", Conv2d.conv1x1(m, inplanes, width, 1));
        bn1 = child("bn1", norm.create(m, width));
        conv2 = child("conv2", Conv2d.conv3x3(m, width, width, stride, groups));
        bn2 = child("bn2", norm.create(m, width));
        conv3 = child("conv3", Conv2d.conv1x1(m, width, planes * EXPANSION, 1));
        bn3 = child("bn3", norm.create(m, planes * EXPANSION));
        registerDownsample();
    }

    @Override
    public List<Module[]> convNormPairs() {
        return List.of(new Module[] {conv1, bn1}, new Module[] {conv2, bn2}, new Module[] {conv3, bn3});
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray out = Functional.relu(bn1.forward(conv1.forward(x)));
            out = Functional.relu(bn2.forward(conv2.forward(out)));
            out = bn3.forward(conv3.forward(out));
            return Functional.relu(addShortcut(out, x));
        });
    }
}
