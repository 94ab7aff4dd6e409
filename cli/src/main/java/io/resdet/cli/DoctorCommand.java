package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code resdet doctor}: what this machine gives resdet to compute with, and why a GPU is or is not used. Exits 1
 * when the engine does not load, or when {@code --device} names a device that cannot be used, so scripts can
 * check a setup with it.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report Java, DJL, the libtorch loaded (version, flavour, folder), CPU features, threads, GPUs, driver, CUDA/cuDNN and caches.",
                "With --device it also checks that device and exits 1 if it cannot be used (--threads shows in the report). Nothing is downloaded, except",
                "the CUDA libtorch when RESDET_GPU=cu128 asks for it and DJL's cache lacks it (once)."},
        footer = {"", "Example:", "  resdet doctor", "  RESDET_GPU=cu128 resdet doctor --device gpu   # fetch the CUDA libtorch once, then check the GPU"})
public final class DoctorCommand implements Callable<Integer> {
    /** {@code --device} is also checked (exit 1 when it cannot be used); {@code --threads} shows in the report. */
    @Mixin ComputeOptions compute;

    @Option(names = "--json", description = "One JSON object instead of the table (default: table).")
    boolean json;

    @Override
    public Integer call() {
        compute.apply();
        String device = compute.device;
        DoctorReport r = DoctorReport.gather(device);
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            r.rows.forEach(o::put);
            o.put("gpuCount", r.gpuCount);
            System.out.println(o);
        } else {
            int w = r.rows.keySet().stream().mapToInt(String::length).max().orElse(10);
            for (Map.Entry<String, String> e : r.rows.entrySet()) {
                System.out.println(String.format("%-" + w + "s  %s", e.getKey(), e.getValue()));
            }
        }
        if (r.engineError != null) throw new UserError("the PyTorch engine does not load: " + r.engineError, 1);
        String checked = device == null ? null : r.rows.get("--device " + device);
        if (checked != null && checked.startsWith("refused: ")) throw new UserError(checked.substring("refused: ".length()), 1);
        return 0;
    }
}
