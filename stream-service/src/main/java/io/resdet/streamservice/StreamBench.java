package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Frames per second through the whole Kafka path (produce → broker → service → results acknowledged, read back)
 * against the same detector called in-process on the same frames with the same batch size: what the streaming
 * machinery costs on top of detection.
 */
public final class StreamBench {
    private StreamBench() {}

    public record Result(int frames, int batch, int workers, double inProcessFps, double kafkaFps) {
        public String table() {
            return String.format(Locale.ROOT, """
                    | path | frames | batch | workers | frames/s |
                    |---|---:|---:|---:|---:|
                    | in-process detect | %d | %d | 1 | %.2f |
                    | through Kafka (embedded broker) | %d | %d | %d | %.2f |
                    overhead: %.0f%%
                    """, frames, batch, inProcessFps, frames, batch, workers, kafkaFps,
                    100 * (inProcessFps / kafkaFps - 1));
        }
    }

    /** {@code model}: the service's model section; {@code dir}: scratch space for the broker. */
    public static Result run(JsonObject model, int frames, int width, int height, int batch, int workers, Path dir) throws Exception {
        SyntheticSource src = new SyntheticSource(width, height, frames, 1);
        List<FrameSource.Frame> encoded = new ArrayList<>();
        for (int i = 0; i < frames; i++) encoded.add(src.next());

        double inProcess;
        try (FrameDetector d = Models.fromConfig(model)) {
            List<RgbImage> warm = List.of(Images.decode(encoded.get(0).bytes(), "warm-up"));
            d.detect(warm);
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i += batch) {
                List<RgbImage> b = new ArrayList<>();
                for (int j = i; j < Math.min(frames, i + batch); j++) b.add(Images.decode(encoded.get(j).bytes(), "f" + j));
                d.detect(b);
            }
            inProcess = frames / ((System.nanoTime() - t0) / 1e9);
        }

        try (EmbeddedBroker broker = EmbeddedBroker.start(Files.createDirectories(dir.resolve("kafka")), 0)) {
            try (Admin a = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
                a.createTopics(List.of(new NewTopic(Topics.FRAMES, 3, (short) 1), new NewTopic(Topics.RESULTS, 3, (short) 1),
                        new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            JsonObject cfg = ServiceConfig.defaults().put("bootstrap", broker.bootstrap()).put("http-port", 0)
                    .put("batch-size", batch).put("workers", workers).put("model", model);
            try (StreamService svc = StreamService.start(cfg);
                 FrameProducer p = new FrameProducer(broker.bootstrap(), Topics.FRAMES, Map.of());
                 ResultReader r = new ResultReader(broker.bootstrap(), Topics.RESULTS, true, Map.of())) {
                // Warm the service's model too, so neither side pays first-call costs inside the timing.
                p.send("warm", 0, System.currentTimeMillis(), encoded.get(0));
                p.flush();
                if (r.read(1, Duration.ofSeconds(120), x -> {}) != 1) throw new IllegalStateException("no warm-up result within 120 s");
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) p.send("cam-" + (i % 3), i / 3, System.currentTimeMillis(), encoded.get(i));
                p.flush();
                long got = r.read(frames, Duration.ofSeconds(600), x -> {});
                if (got != frames) throw new IllegalStateException("only " + got + " of " + frames + " results within 600 s");
                double kafka = frames / ((System.nanoTime() - t0) / 1e9);
                return new Result(frames, batch, workers, inProcess, kafka);
            }
        }
    }
}
