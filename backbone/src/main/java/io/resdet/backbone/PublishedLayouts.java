package io.resdet.backbone;

import io.resdet.io.StateDict;

/**
 * Key names of published checkpoints that differ from resdet's. The most used reproduction of the paper's CIFAR
 * networks (akamaster/pytorch_resnet_cifar10) names the classifier {@code linear} where resdet, like torchvision,
 * says {@code fc}; every other key ({@code conv1}, {@code bn1}, {@code layer1.0.conv1}, ...) is the same, and its
 * option-A shortcuts have no parameters, as resdet's. (Its {@code torch.save({'state_dict': …, 'best_prec1': …})}
 * wrapper and DataParallel's {@code module.} prefix are undone by {@link io.resdet.io.Checkpoints#read}.)
 */
public final class PublishedLayouts {
    /** The state dict under resdet's names, and what was renamed (null: nothing). */
    public record Adapted(StateDict stateDict, String mapping) {}

    private PublishedLayouts() {}

    /**
     * For a CIFAR network ({@code resnetN}, {@code preactN} and their plain twins), {@code linear.*} becomes
     * {@code fc.*} when the checkpoint has no {@code fc.*} of its own; anything else is returned as it is.
     */
    public static Adapted adapt(String arch, StateDict sd) {
        if (arch == null || ResNets.isImageNet(arch) || !isCifar(arch)) return new Adapted(sd, null);
        boolean hasLinear = sd.keys().stream().anyMatch(k -> k.startsWith("linear."));
        boolean hasFc = sd.keys().stream().anyMatch(k -> k.startsWith("fc."));
        if (!hasLinear || hasFc) return new Adapted(sd, null);
        StateDict out = new StateDict();
        sd.asMap().forEach((k, v) -> out.put(k.startsWith("linear.") ? "fc." + k.substring("linear.".length()) : k, v));
        return new Adapted(out, "read linear.* as fc.* (the classifier's name in akamaster/pytorch_resnet_cifar10's CIFAR ResNets)");
    }

    private static boolean isCifar(String arch) {
        String base = arch.startsWith("plain_") ? arch.substring("plain_".length()) : arch;
        return base.matches("(resnet|preact)\\d+");
    }
}
