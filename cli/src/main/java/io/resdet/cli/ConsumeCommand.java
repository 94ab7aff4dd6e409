package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.image.Images;
import io.resdet.streamservice.ResultReader;
import io.resdet.streamservice.SyntheticSource;
import io.resdet.streamservice.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code resdet consume}: print detection results (one JSON document per line), optionally drawing them. */
@Command(name = "consume",
        footer = {"", "Example:", "  resdet consume --bootstrap 127.0.0.1:9092 --count 10 --render drawn/"}, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the results topic from the beginning, one JSON line per frame, without joining a consumer group.",
                "--render DIR also draws each result's boxes onto its frame (read from the frames topic) as DIR/STREAM-FRAME.jpg."})
public final class ConsumeCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N results (default: no limit).")
    long count;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "30", description = "Stop after S seconds (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--render", paramLabel = "DIR", description = "Write frames with boxes drawn to DIR.")
    Path render;

    @Mixin TopicOptions.Results results;

    @Mixin TopicOptions.Frames frames;

    @Option(names = "--topic", paramLabel = "TOPIC", hidden = true, description = "Old spelling of --results-topic.")
    void topic(String t) {
        results.topic = t;
    }

    @Option(names = "--read-uncommitted", description = "Also show results of open or aborted transactions.")
    boolean uncommitted;

    @Override
    public Integer call() throws Exception {
        if (timeout <= 0) throw new UserError("--timeout: must be > 0, got " + timeout);
        if (count < 0) throw new UserError("--count: must be >= 0, got " + count);
        if (render != null) {
            if (Files.exists(render) && !Files.isDirectory(render)) throw new UserError(render + ": exists and is not a folder");
            Files.createDirectories(render);
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Map<String, JsonNode> wanted = new HashMap<>();
        long n;
        String topic = results.get();
        try (ResultReader r = new ResultReader(kafka.bootstrap(), topic, !uncommitted, kafka.properties())) {
            n = r.read(count, Duration.ofMillis((long) (timeout * 1000)), rec -> {
                out.println(new String(rec.value(), StandardCharsets.UTF_8));
                if (render != null) {
                    JsonNode j = ResultReader.json(rec);
                    wanted.put(j.path("stream").asText() + "#" + j.path("frame").asLong(), j);
                }
            });
        }
        out.flush();
        if (render != null && !wanted.isEmpty()) {
            long drawn = render(wanted);
            System.err.println("resdet consume: drew " + drawn + " frames into " + render);
        }
        if (count > 0 && n < count) {
            throw new UserError("read " + n + " of " + count + " results from " + topic + " within " + timeout + " s", 1);
        }
        return 0;
    }

    private long render(Map<String, JsonNode> wanted) throws IOException {
        long[] drawn = {0};
        try (ResultReader r = new ResultReader(kafka.bootstrap(), frames.get(), true, kafka.properties())) {
            r.read(0, Duration.ofSeconds(10), rec -> {
                String fr = ResultReader.header(rec, Topics.H_FRAME);
                JsonNode j = fr == null ? null : wanted.remove(rec.key() + "#" + fr.trim());
                if (wanted.isEmpty()) r.stop();
                if (j == null || j.path("detections").isMissingNode()) return;
                try {
                    BufferedImage img = Images.toBufferedImage(Images.decode(rec.value(), rec.key() + "#" + fr));
                    Graphics2D g = img.createGraphics();
                    g.setStroke(new BasicStroke(Math.max(1, img.getWidth() / 200f)));
                    Color[] pal = {Color.YELLOW, Color.RED, Color.GREEN, Color.CYAN, Color.MAGENTA, Color.ORANGE};
                    for (JsonNode d : j.get("detections")) {
                        JsonNode b = d.get("box");
                        g.setColor(pal[d.get("label").asInt() % pal.length]);
                        int x1 = (int) b.get(0).asDouble(), y1 = (int) b.get(1).asDouble();
                        g.drawRect(x1, y1, (int) b.get(2).asDouble() - x1, (int) b.get(3).asDouble() - y1);
                        g.drawString(d.get("name").asText() + String.format(" %.2f", d.get("score").asDouble()), x1 + 2, Math.max(10, y1 - 2));
                    }
                    g.dispose();
                    String safe = rec.key().replaceAll("[^A-Za-z0-9._-]", "_");
                    Files.write(render.resolve(safe + "-" + fr.trim() + ".jpg"), SyntheticSource.jpeg(img, 0.9f));
                    drawn[0]++;
                } catch (IOException e) {
                    System.err.println("resdet consume: " + e.getMessage());
                }
            });
        }
        return drawn[0];
    }
}
