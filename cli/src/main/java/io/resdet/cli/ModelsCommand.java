package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.models.ModelEntry;
import io.resdet.models.ModelRegistry;
import io.resdet.models.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code resdet models}: the pretrained weights resdet knows by name, and {@code models fetch NAME}. */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = ModelsCommand.Fetch.class,
        description = {"List the pretrained weights that --model accepts, with their task, metric, size and cache state.",
                "Names follow torchvision's weight enums (fasterrcnn_resnet50_fpn.coco_v1, resnet50.imagenet1k_v2, ...) plus",
                "resdet-shapes, the bundled model. Cache: $RESDET_HOME/models (default ~/.cache/resdet/models);",
                "RESDET_MODEL_MIRROR=URL/ replaces download.pytorch.org/models/; RESDET_MODEL_REGISTRY=FILE adds entries."},
        footer = {"", "Example:", "  resdet models", "  resdet models fetch fasterrcnn_resnet50_fpn.coco_v1",
                "  resdet detect --model fasterrcnn_resnet50_fpn.coco_v1 street.jpg"})
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON list instead of the table (default: table).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Map<String, String> env = ModelOptions.environment();
        ModelStore store = ModelStore.fromEnvironment(env);
        List<ModelEntry> entries = registry(env).entries();
        if (json) {
            ArrayNode a = new ObjectMapper().createArrayNode();
            for (ModelEntry e : entries) a.add(describe(e, store));
            System.out.println(a);
            return 0;
        }
        System.out.printf("%-36s %-14s %-28s %-22s %9s  %s%n", "name", "task", "arch", "metric", "MB", "cached");
        for (ModelEntry e : entries) {
            System.out.printf(Locale.ROOT, "%-36s %-14s %-28s %-22s %9s  %s%n", e.name(), e.task(), e.arch(), metric(e),
                    e.megabytes() > 0 ? String.format(Locale.ROOT, "%.1f", e.megabytes()) : "-",
                    e.url() == null ? "bundled" : store.isCached(e) ? "yes" : "no");
        }
        System.out.println("cache: " + store.cacheDir());
        return 0;
    }

    static ModelRegistry registry(Map<String, String> env) {
        try {
            return ModelRegistry.load(env);
        } catch (IOException e) {
            throw new UserError("RESDET_MODEL_REGISTRY: " + e.getMessage());
        }
    }

    private static String metric(ModelEntry e) {
        StringBuilder sb = new StringBuilder();
        e.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(m -> {
            if (sb.length() > 0) sb.append(' ');
            sb.append(m.getKey()).append(' ').append(m.getValue());
        });
        return sb.toString();
    }

    static ObjectNode describe(ModelEntry e, ModelStore store) {
        ObjectNode o = new ObjectMapper().valueToTree(e);
        o.put("file", e.fileName());
        o.put("cached", store.isCached(e));
        if (e.url() != null) o.put("path", store.cachePath(e.fileName()).toString());
        return o;
    }

    /** {@code resdet models fetch NAME...}: download now, so later runs work offline. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download named weights into the cache now (verified against the SHA-256 in the file name), for offline use."},
            footer = {"", "Example:", "  resdet models fetch fasterrcnn_resnet50_fpn_v2.coco_v1 resnet50.imagenet1k_v2"})
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "Model names, as 'resdet models' lists them.")
        List<String> names;

        @Option(names = "--json", description = "Print each fetched model as a JSON line (default: one line of text each).")
        boolean json;

        @Override
        public Integer call() {
            Map<String, String> env = ModelOptions.environment();
            ModelStore store = ModelStore.fromEnvironment(env);
            ModelRegistry registry = registry(env);
            int failed = 0;
            for (String name : names) {
                ModelEntry e;
                try {
                    e = registry.get(name);
                } catch (IllegalArgumentException x) {
                    throw new UserError(x.getMessage());
                }
                try {
                    Path p = store.file(e);
                    if (json) System.out.println(describe(e, store));
                    else System.out.println(name + ": " + (p == null ? "bundled in resdet" : p + " (" + Files.size(p) + " bytes)"));
                } catch (IOException x) {
                    System.err.println("resdet models fetch: " + x.getMessage());
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }
}
