package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.backbone.Classifier;
import io.resdet.backbone.DatasetLabels;
import io.resdet.backbone.ImageNetLabels;
import io.resdet.backbone.ResNets;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.resdet.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code resdet classify}: ImageNet classification with torchvision-compatible weights, CIFAR with the paper's networks. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify images with a residual network and torchvision weights (.pth/.pt/.safetensors).",
                "Prints one JSON object per image: {\"image\", \"top\":[{\"index\",\"label\",\"score\"}], \"logits\"?}.",
                "With --eval DIR, evaluates an ImageFolder tree (one folder per class index or WordNet id) and prints top-1/top-5 error.",
                "CIFAR networks (resnet20..1202) take their 32×32 images as they are, and load akamaster/pytorch_resnet_cifar10's",
                "published checkpoints (*.th: its state_dict wrapper, DataParallel's module. prefix, linear.* for fc.*) as they are.",
                "--arch and --weights are required."},
        footer = {"", "Example:",
                "  resdet classify --arch resnet50 --weights resnet50-11ad3fa6.pth --top 3 cat.jpg dog.png",
                "  resdet classify --arch resnet50 --weights resnet50-11ad3fa6.pth --eval imagenet/val --batch 32",
                "  resdet classify --arch resnet20 --weights resnet20-12fca82f.th cifar_cat.png"})
public final class ClassifyCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin ModelOptions.Strictness strictness;
    @Mixin ComputeOptions compute;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Classes to report per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--logits", description = "Also print the raw logits (default: off).")
    boolean logits;

    @Option(names = "--no-resize", description = "Feed images as they are (normalised only) instead of resize 256 + center crop 224"
            + " (default: resize for ImageNet networks; CIFAR networks always take images as they are).")
    boolean noResize;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--eval", paramLabel = "DIR", description = "Evaluate an ImageFolder tree instead of classifying IMAGE arguments (default: classify).")
    Path evalDir;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files (JPEG, PNG, BMP, GIF).")
    List<Path> images = new ArrayList<>();

    private final ObjectMapper json = new ObjectMapper();
    private String arch;
    private io.resdet.detector.LabelMap names;
    private boolean resize;

    @Override
    public Integer call() throws Exception {
        if (top < 1) throw new UserError("--top must be at least 1");
        if (batch < 1) throw new UserError("--batch must be at least 1");
        if (evalDir == null && images.isEmpty()) throw new UserError("give IMAGE files or --eval DIR");
        model.resolve("classification");
        if (model.arch == null) throw new UserError("--arch: required (resnet50, resnet20, ...), or --model NAME");
        arch = model.arch;
        Path weights = model.requireWeights("");
        model.checkNumClasses();
        compute.apply();
        names = model.labelMap();
        // A CIFAR network sees 32×32 images: ImageNet's 256/224 resize would hand it something else entirely.
        resize = !noResize && ResNets.isImageNet(arch);
        try (Classifier c = Classifier.builder().setArch(arch).setWeights(weights).optStrict(!strictness.nonStrict)
                .optResize(resize).optResizeSize(model.resizeSize() == null ? 256 : model.resizeSize()).optDevice(compute.device)
                .optNumClasses(model.numClasses == null ? defaultClasses() : model.numClasses).build()) {
            if (c.keyMapping() != null) System.err.println("resdet classify: " + weights + ": " + c.keyMapping());
            if (!c.loadReport().clean()) System.err.println("resdet classify: " + weights + ": " + c.loadReport().describe());
            return evalDir != null ? evaluate(c) : classify(c);
        }
    }

    private int defaultClasses() {
        try {
            return ResNets.isImageNet(arch) ? 1000 : 10;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private int classify(Classifier c) {
        PrintStream out = System.out;
        int failures = 0;
        int step = resize ? batch : 1;
        for (int i = 0; i < images.size(); i += step) {
            List<Path> chunk = images.subList(i, Math.min(images.size(), i + step));
            List<RgbImage> decoded = new ArrayList<>();
            List<Path> ok = new ArrayList<>();
            for (Path p : chunk) {
                try {
                    decoded.add(Images.read(p));
                    ok.add(p);
                } catch (IOException e) {
                    System.err.println("resdet classify: " + e.getMessage());
                    failures++;
                }
            }
            if (decoded.isEmpty()) continue;
            List<float[]> rows = c.logits(decoded);
            for (int j = 0; j < rows.size(); j++) out.println(result(ok.get(j), rows.get(j)));
            out.flush();
        }
        if (failures > 0) {
            System.err.println("resdet classify: " + failures + " of " + images.size() + " images failed");
            return 1;
        }
        return 0;
    }

    private String result(Path image, float[] logitsRow) {
        ObjectNode o = json.createObjectNode();
        o.put("image", image.toString());
        double[] p = Classifier.softmax(logitsRow);
        ArrayNode topArr = o.putArray("top");
        for (int idx : Classifier.topK(logitsRow, top)) {
            ObjectNode t = topArr.addObject();
            t.put("index", idx);
            t.put("label", label(idx, logitsRow.length));
            t.put("score", p[idx]);
        }
        if (logits) {
            ArrayNode l = o.putArray("logits");
            for (float v : logitsRow) l.add(v);
        }
        return o.toString();
    }

    private String label(int idx, int classes) {
        if (names != null) return names.name(idx);
        if (classes == 1000) return ImageNetLabels.name(idx);
        java.util.List<String> cifar = ResNets.isImageNet(arch) ? null : DatasetLabels.defaultFor(classes);
        return cifar != null ? cifar.get(idx) : Integer.toString(idx);
    }

    /** top-1/top-5 error over DIR/<class>/<image>; class folders are indices or ImageNet WordNet ids. */
    private int evaluate(Classifier c) throws IOException {
        if (!Files.isDirectory(evalDir)) throw new UserError(evalDir + ": not a directory");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(evalDir)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                int label = classOf(d.getFileName().toString());
                try (Stream<Path> fs = Files.list(d)) {
                    for (Path f : fs.filter(Files::isRegularFile).sorted().toList()) {
                        files.add(f);
                        labels.add(label);
                    }
                }
            }
        }
        if (files.isEmpty()) throw new UserError(evalDir + ": no class folders with images");
        long top1 = 0, top5 = 0, seen = 0, failed = 0;
        try (Progress progress = new Progress("classify --eval", files.size(), "img")) {
            for (int i = 0; i < files.size(); i += batch) {
                List<RgbImage> decoded = new ArrayList<>();
                List<Integer> truth = new ArrayList<>();
                for (int j = i; j < Math.min(files.size(), i + batch); j++) {
                    try {
                        decoded.add(Images.read(files.get(j)));
                        truth.add(labels.get(j));
                    } catch (IOException e) {
                        System.err.println("resdet classify: " + e.getMessage());
                        failed++;
                    }
                }
                if (!decoded.isEmpty()) {
                    List<float[]> rows = resize ? c.logits(decoded) : oneByOne(c, decoded);
                    for (int j = 0; j < rows.size(); j++) {
                        int[] k = Classifier.topK(rows.get(j), 5);
                        if (k[0] == truth.get(j)) top1++;
                        for (int v : k) if (v == truth.get(j)) top5++;
                        seen++;
                    }
                }
                progress.step(Math.min(batch, files.size() - i));
                progress.note(String.format(Locale.ROOT, "top-1 err %.2f%%", 100.0 * (seen - top1) / Math.max(seen, 1)));
            }
        }
        ObjectNode o = json.createObjectNode();
        o.put("images", seen);
        o.put("failed", failed);
        o.put("top1_error", (double) (seen - top1) / seen);
        o.put("top5_error", (double) (seen - top5) / seen);
        System.out.println(o);
        System.err.printf(Locale.ROOT, "top-1 error %.2f%%  top-5 error %.2f%%  (%d images)%n",
                100.0 * (seen - top1) / seen, 100.0 * (seen - top5) / seen, seen);
        return failed > 0 ? 1 : 0;
    }

    private static List<float[]> oneByOne(Classifier c, List<RgbImage> images) {
        List<float[]> out = new ArrayList<>();
        for (RgbImage im : images) out.addAll(c.logits(List.of(im)));
        return out;
    }

    private static int classOf(String folder) {
        if (folder.matches("\\d+")) return Integer.parseInt(folder);
        int idx = ImageNetLabels.indexOfWnid(folder);
        if (idx < 0) throw new UserError("class folder '" + folder + "' is neither a class index nor an ImageNet WordNet id");
        return idx;
    }
}
