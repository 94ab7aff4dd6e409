package io.resdet.backbone;

import ai.djl.ndarray.NDManager;
import io.resdet.nn.NormLayer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builders for every residual network resdet knows, by torchvision's names where torchvision has them.
 *
 * <pre>{@code
 * ResNet r50 = ResNets.resnet50(manager);
 * Backbone net = ResNets.builder().setArch("plain_resnet56").optNumClasses(10).build(manager);
 * }</pre>
 *
 * <ul>
 *   <li>ImageNet (torchvision): resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d,
 *       resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2.</li>
 *   <li>CIFAR (the ResNet paper): resnet20, resnet32, resnet44, resnet56, resnet110, resnet1202 — any 6n+2.</li>
 *   <li>Pre-activation CIFAR: preact110 (basic units), preact164, preact1001 — any 9n+2 with bottlenecks.</li>
 *   <li>{@code plain_<name>}: the same network without shortcuts.</li>
 * </ul>
 */
public final class ResNets {
    private static final Map<String, ResNetConfig> IMAGENET = new LinkedHashMap<>();
    private static final Pattern CIFAR = Pattern.compile("resnet(\\d+)");
    private static final Pattern PREACT = Pattern.compile("preact(\\d+)");

    static {
        NormLayer bn = NormLayer.BATCH_NORM;
        imagenet(new ResNetConfig("resnet18", false, new int[] {2, 2, 2, 2}, 1, 64, bn, 1000, true));
        imagenet(new ResNetConfig("resnet34", false, new int[] {3, 4, 6, 3}, 1, 64, bn, 1000, true));
        imagenet(new ResNetConfig("resnet50", true, new int[] {3, 4, 6, 3}, 1, 64, bn, 1000, true));
        imagenet(new ResNetConfig("resnet101", true, new int[] {3, 4, 23, 3}, 1, 64, bn, 1000, true));
        imagenet(new ResNetConfig("resnet152", true, new int[] {3, 8, 36, 3}, 1, 64, bn, 1000, true));
        imagenet(new ResNetConfig("resnext50_32x4d", true, new int[] {3, 4, 6, 3}, 32, 4, bn, 1000, true));
        imagenet(new ResNetConfig("resnext101_32x8d", true, new int[] {3, 4, 23, 3}, 32, 8, bn, 1000, true));
        imagenet(new ResNetConfig("resnext101_64x4d", true, new int[] {3, 4, 23, 3}, 64, 4, bn, 1000, true));
        imagenet(new ResNetConfig("wide_resnet50_2", true, new int[] {3, 4, 6, 3}, 1, 128, bn, 1000, true));
        imagenet(new ResNetConfig("wide_resnet101_2", true, new int[] {3, 4, 23, 3}, 1, 128, bn, 1000, true));
    }

    private ResNets() {}

    private static void imagenet(ResNetConfig c) {
        IMAGENET.put(c.name(), c);
    }

    /** The names {@link Builder#setArch} accepts (plus any 6n+2 / 9n+2 depth and {@code plain_} prefix). */
    public static List<String> knownArchs() {
        List<String> out = new ArrayList<>(IMAGENET.keySet());
        out.addAll(List.of("resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "resnet1202",
                "preact110", "preact164", "preact1001"));
        return out;
    }

    public static boolean isImageNet(String arch) {
        return IMAGENET.containsKey(stripPlain(arch));
    }

    /** The torchvision configuration of an ImageNet architecture. */
    public static ResNetConfig imagenetConfig(String arch) {
        ResNetConfig c = IMAGENET.get(stripPlain(arch));
        if (c == null) throw new IllegalArgumentException("unknown ImageNet architecture '" + arch + "'; known: " + IMAGENET.keySet());
        return arch.startsWith("plain_") ? c.plain() : c;
    }

    private static String stripPlain(String arch) {
        return arch.startsWith("plain_") ? arch.substring("plain_".length()) : arch;
    }

    public static ResNet resnet18(NDManager m) {
        return (ResNet) builder().setArch("resnet18").build(m);
    }

    public static ResNet resnet34(NDManager m) {
        return (ResNet) builder().setArch("resnet34").build(m);
    }

    public static ResNet resnet50(NDManager m) {
        return (ResNet) builder().setArch("resnet50").build(m);
    }

    public static ResNet resnet101(NDManager m) {
        return (ResNet) builder().setArch("resnet101").build(m);
    }

    public static ResNet resnet152(NDManager m) {
        return (ResNet) builder().setArch("resnet152").build(m);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private String arch;
        private Integer numClasses;
        private NormLayer norm = NormLayer.BATCH_NORM;
        private CifarResNet.Shortcut shortcut = CifarResNet.Shortcut.A;
        private int inChannels = 3;

        public Builder setArch(String arch) {
            this.arch = arch;
            return this;
        }

        /** Classifier outputs; 0 builds a feature extractor with no {@code fc}. Default 1000 (ImageNet) or 10 (CIFAR). */
        public Builder optNumClasses(int n) {
            this.numClasses = n;
            return this;
        }

        public Builder optNorm(NormLayer norm) {
            this.norm = norm;
            return this;
        }

        /** CIFAR shortcut option A (zero padding, the paper's choice for CIFAR) or B (projection). */
        public Builder optShortcut(CifarResNet.Shortcut s) {
            this.shortcut = s;
            return this;
        }

        /**
         * Input channels of a CIFAR network's stem: 3 (default) or 1 for grey images such as Fashion-MNIST. The
         * ImageNet networks take 3 only (their published weights do).
         */
        public Builder optInChannels(int channels) {
            this.inChannels = channels;
            return this;
        }

        public Backbone build(NDManager m) {
            if (arch == null) throw new IllegalStateException("setArch is required");
            boolean residual = !arch.startsWith("plain_");
            String base = stripPlain(arch);
            ResNetConfig c = IMAGENET.get(base);
            if (c != null) {
                if (inChannels != 3) throw new IllegalArgumentException(arch + " takes 3 input channels; " + inChannels
                        + " channels are for the CIFAR networks");
                c = c.withNorm(norm).withNumClasses(numClasses == null ? 1000 : numClasses);
                return new ResNet(m, residual ? c : c.plain());
            }
            int classes = numClasses == null ? 10 : numClasses;
            Matcher cm = CIFAR.matcher(base);
            if (cm.matches()) return new CifarResNet(m, Integer.parseInt(cm.group(1)), classes, shortcut, norm, residual, inChannels);
            Matcher pm = PREACT.matcher(base);
            if (pm.matches()) {
                int depth = Integer.parseInt(pm.group(1));
                // The paper's pre-activation nets: 110 uses basic units, 164/1001 bottlenecks; 9n+2 ⇒ bottleneck.
                boolean bottleneck = (depth - 2) % 9 == 0 && depth != 110;
                return new PreActResNet(m, depth, bottleneck, classes, norm, residual, inChannels);
            }
            throw new IllegalArgumentException("unknown architecture '" + arch + "'; known: " + knownArchs()
                    + " (any CIFAR depth 6n+2, pre-activation 9n+2, and plain_<arch>)");
        }
    }
}
