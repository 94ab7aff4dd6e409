package io.resdet.cli;

import ai.djl.ndarray.NDManager;
import io.resdet.backbone.ResNets;
import io.resdet.io.Checkpoints;
import io.resdet.io.StateDict;
import io.resdet.nn.Module;
import io.resdet.nn.StateDictLoader;
import io.resdet.nn.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code resdet convert}: any supported checkpoint to safetensors, optionally checked against an architecture. */
@Command(name = "convert",
        footer = {"", "Example:", "  resdet convert resnet50-11ad3fa6.pth resnet50.safetensors",
                "  resdet convert --arch resnet20 resnet20-12fca82f.th resnet20.safetensors"}, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a checkpoint (torch.save .pth/.pt, zip or legacy format, or .safetensors) to .safetensors.",
                "Keys keep torchvision's names; num_batches_tracked and tensors of every dtype are kept as they are.",
                "With --arch resnet20..1202, akamaster/pytorch_resnet_cifar10's published *.th files are read as they are and",
                "written under resdet's names (linear.* becomes fc.*)."})
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Input checkpoint.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output .safetensors file.")
    Path out;

    @Option(names = "--arch", paramLabel = "NAME",
            description = "Check that the checkpoint fits this backbone architecture (strict key and shape check) before writing.")
    String arch;

    @Option(names = "--num-classes", paramLabel = "N", description = "Classifier size for --arch (default 1000 / 10 for CIFAR).")
    Integer numClasses;

    @Option(names = "--half", description = "Store floating-point tensors as float16 (half the size; loading widens them to float32)."
            + " A resdet model's spec and other safetensors metadata are kept.")
    boolean half;

    @Override
    public Integer call() throws Exception {
        StateDict sd = Checkpoints.read(in);
        if (arch != null) {
            // A published CIFAR checkpoint's own names (linear.* for fc.*) become resdet's, so the output fits --arch.
            io.resdet.backbone.PublishedLayouts.Adapted adapted = io.resdet.backbone.PublishedLayouts.adapt(arch, sd);
            if (adapted.mapping() != null) System.err.println("resdet convert: " + in + ": " + adapted.mapping());
            sd = adapted.stateDict();
            try (NDManager m = NDManager.newBaseManager()) {
                ResNets.Builder b = ResNets.builder().setArch(arch);
                if (numClasses != null) b.optNumClasses(numClasses);
                Module net = b.build(m);
                StateDictLoader.load(net, Weights.toArrays(m, sd), true);
            } catch (StateDictLoader.MismatchException e) {
                throw new UserError(in + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        if (Checkpoints.detect(in) == Checkpoints.Format.SAFETENSORS) meta.putAll(Checkpoints.readSafetensorsMetadata(in));
        meta.putIfAbsent("format", "pt");
        meta.put("source", in.getFileName().toString());
        if (half) sd = toHalf(sd);
        Checkpoints.writeSafetensors(sd, out, meta);
        System.err.println("resdet convert: wrote " + sd.size() + " tensors to " + out);
        return 0;
    }

    private static StateDict toHalf(StateDict sd) {
        StateDict out = new StateDict();
        try (NDManager m = NDManager.newBaseManager()) {
            for (String k : sd.keys()) {
                io.resdet.io.TensorData t = sd.get(k);
                if (!t.dtype().isFloatingPoint()) {
                    out.put(k, t);
                    continue;
                }
                try (ai.djl.ndarray.NDArray a = Weights.toArrays(m, new StateDict().put(k, t)).get(k);
                     ai.djl.ndarray.NDArray h = a.toType(ai.djl.ndarray.types.DataType.FLOAT16, false)) {
                    out.put(k, io.resdet.io.TensorData.ofBytes(io.resdet.io.DType.FLOAT16, t.shape(), h.toByteArray()));
                }
            }
        }
        return out;
    }
}
