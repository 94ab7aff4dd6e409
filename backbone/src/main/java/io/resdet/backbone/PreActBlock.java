package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;

/**
 * A full pre-activation unit (He et al. 2016, "Identity Mappings"): BN → ReLU → conv, twice (basic) or
 * three times (bottleneck, ×4 expansion). A projection shortcut, where the shape changes, takes the
 * pre-activated input, as in the authors' code; an identity shortcut takes the raw input.
 */
public final class PreActBlock extends ResidualBlock {
    private final List<Module> norms = new ArrayList<>();
    private final List<Conv2d> convs = new ArrayList<>();

    public PreActBlock(NDManager m, boolean bottleneck, int in, int planes, int stride, NormLayer norm,
                       boolean residual) {
        super(m, residual, projection(m, bottleneck, in, planes, stride));
        int out = bottleneck ? planes * 4 : planes;
        if (bottleneck) {
            add(m, norm, in, Conv2d.conv1x1(m, in, planes, 1));
            add(m, norm, planes, Conv2d.conv3x3(m, planes, planes, stride, 1));
            add(m, norm, planes, Conv2d.conv1x1(m, planes, out, 1));
        } else {
            add(m, norm, in, Conv2d.conv3x3(m, in, planes, stride, 1));
            add(m, norm, planes, Conv2d.conv3x3(m, planes, planes, 1, 1));
        }
        registerDownsample();
    }

    private static Module projection(NDManager m, boolean bottleneck, int in, int planes, int stride) {
        int out = bottleneck ? planes * 4 : planes;
        return (stride != 1 || in != out) ? Conv2d.conv1x1(m, in, out, stride) : null;
    }

    private void add(NDManager m, NormLayer norm, int channels, Conv2d conv) {
        int i = convs.size() + 1;
        norms.add(child("bn" + i, norm.create(m, channels)));
        convs.add(child("conv" + i, conv));
    }

    /** Pre-activation puts the norm before the convolution, so nothing folds into a preceding conv here. */
    @Override
    public List<Module[]> convNormPairs() {
        return List.of();
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray pre = Functional.relu(norms.get(0).forward(x));
            NDArray out = convs.get(0).forward(pre);
            for (int i = 1; i < convs.size(); i++) {
                out = convs.get(i).forward(Functional.relu(norms.get(i).forward(out)));
            }
            if (!residual) return out;
            out.addi(downsample == null ? x : downsample.forward(pre));
            return out;
        });
    }
}
