package io.resdet.backbone;

import io.resdet.nn.NormLayer;

/**
 * The knobs of torchvision's {@code ResNet}: block type and counts, ResNeXt groups, width per group,
 * normalisation, classifier size, and whether shortcuts exist (false: the "plain" twin).
 */
public record ResNetConfig(String name, boolean bottleneck, int[] blocks, int groups, int widthPerGroup,
                           NormLayer norm, int numClasses, boolean residual) {
    public ResNetConfig withNorm(NormLayer n) {
        return new ResNetConfig(name, bottleneck, blocks, groups, widthPerGroup, n, numClasses, residual);
    }

    public ResNetConfig withNumClasses(int n) {
        return new ResNetConfig(name, bottleneck, blocks, groups, widthPerGroup, norm, n, residual);
    }

    /** The same network with no shortcuts ("plain-k" in the paper). */
    public ResNetConfig plain() {
        return new ResNetConfig(name.replace("resnet", "plain"), bottleneck, blocks, groups, widthPerGroup, norm,
                numClasses, false);
    }
}
