package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.streamservice.EmbeddedBroker;
import io.resdet.streamservice.FrameProducer;
import io.resdet.streamservice.ResultReader;
import io.resdet.streamservice.ServiceConfig;
import io.resdet.streamservice.StreamService;
import io.resdet.streamservice.SyntheticSource;
import io.resdet.streamservice.Topics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `eval run --via-kafka`: the same dataset and model as {@link EvalRunCommandTest}, detected by two in-process services
 * behind a real broker, gives the same detections.jsonl lines and the same twelve COCO numbers as the local run;
 * resuming sends only what has no result; other streams' results on the same topic are ignored.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class EvalRunViaKafkaTest {
    static Path dir;
    @TempDir static Path kafkaDir;
    static EmbeddedBroker broker;

    @BeforeAll
    static void up() throws Exception {
        dir = CocoRunCase.dir();
        assertTrue(CocoRunCase.annotations() > 0, "the oracle should produce confident detections");
        broker = EmbeddedBroker.start(kafkaDir, 0);
        try (Admin a = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            a.createTopics(List.of(new NewTopic(Topics.FRAMES, 2, (short) 1), new NewTopic(Topics.RESULTS, 2, (short) 1),
                    new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void down() {
        if (broker != null) broker.close();
    }

    /** The service with the local run's model settings; batch 1, as the local run's default. */
    static JsonObject serviceConfig() {
        return ServiceConfig.defaults().put("bootstrap", broker.bootstrap()).put("http-port", 0).put("batch-size", 1).put("workers", 1)
                .put("model", new JsonObject().put("arch", "fasterrcnn_resnet18_fpn").put("weights", dir.resolve("weights.pth").toString())
                        .put("num-classes", 5).put("min-size", 320).put("max-size", 512));
    }

    static List<String> gtArgs(Path out) {
        return List.of("--coco-images", dir.resolve("images").toString(), "--coco-gt", dir.resolve("gt.json").toString(),
                "--out", out.toString(), "--json");
    }

    static CliRun viaKafka(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("eval", "run", "--via-kafka", broker.bootstrap(), "--kafka-timeout", "240"));
        args.addAll(gtArgs(out));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    static long framesSent(String stream) {
        long[] n = {0};
        try (ResultReader r = new ResultReader(broker.bootstrap(), Topics.FRAMES, true, Map.of())) {
            var ends = r.endOffsets();
            while (!r.reached(ends)) r.read(0, Duration.ofSeconds(1), rec -> {
                if (stream.equals(rec.key())) n[0]++;
            });
        }
        return n[0];
    }

    @Test
    void sameMetricsAsLocalRunAndResumesWithoutResending(@TempDir Path tmp) throws Exception {
        List<String> local = new ArrayList<>(List.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn", "--weights",
                dir.resolve("weights.pth").toString(), "--num-classes", "5", "--min-size", "320", "--max-size", "512"));
        local.addAll(gtArgs(tmp.resolve("local")));
        CliRun l = CliRun.of(local.toArray(String[]::new));
        assertEquals(0, l.code(), l.err());

        Path out = tmp.resolve("kafka");
        String stream = EvalRunKafkaPass.streamId(out);
        try (StreamService a = StreamService.start(serviceConfig()); StreamService b = StreamService.start(serviceConfig());
             FrameProducer other = new FrameProducer(broker.bootstrap(), Topics.FRAMES, Map.of())) {
            // Another stream's frames 0 and 1 share the topics: their results must not be taken for this run's images.
            other.run("lobby", new SyntheticSource(96, 72, 2, 3), 0, null);

            CliRun first = viaKafka(out, "--limit", "2");
            assertEquals(0, first.code(), first.err());
            Path jsonl = out.resolve("detections.jsonl");
            List<String> lines = Files.readAllLines(jsonl);
            assertEquals(2, lines.size());
            // A kill after the service answered but before the line was written: the result is on the topic already.
            Files.write(jsonl, lines.subList(0, 1));

            CliRun second = viaKafka(out);
            assertEquals(0, second.code(), second.err());
            assertTrue(second.err().contains("resuming, 1 of 3"), second.err());
            assertTrue(second.err().contains("1 results were already on " + Topics.RESULTS), second.err());
            assertTrue(second.err().contains("3/3"), "progress bar: " + second.err());
            assertEquals(3, framesSent(stream), "each image sent once: the resumed run sent only the image without a result");

            JsonNode viaKafka = new ObjectMapper().readTree(second.out());
            JsonNode locally = new ObjectMapper().readTree(l.out());
            assertEquals(locally.get("stats"), viaKafka.get("stats"), "the twelve COCO numbers");
            assertEquals(1.0, viaKafka.get("stats").get(0).asDouble(), 1e-9, second.out());
            assertEquals(new TreeSet<>(Files.readAllLines(tmp.resolve("local/detections.jsonl"))), new TreeSet<>(Files.readAllLines(jsonl)),
                    "the same detections, to the last digit");
            assertEquals(Files.readString(tmp.resolve("local/results.json")).length(), Files.readString(out.resolve("results.json")).length());
        }
    }

    @Test
    void noServiceEndsInOneLineAndKeepsWhatItHas(@TempDir Path tmp) {
        CliRun r = CliRun.of("eval", "run", "--via-kafka", broker.bootstrap(), "--kafka-timeout", "3", "--frames-topic", "nobody-reads",
                "--coco-images", dir.resolve("images").toString(), "--coco-gt", dir.resolve("gt.json").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.lastErrLine().startsWith("resdet eval run: no new result for 3 s with 3 images left: is `resdet serve` running on "),
                r.err());
        CliRun noModel = CliRun.of("eval", "run", "--coco-images", dir.resolve("images").toString(), "--coco-gt", dir.resolve("gt.json").toString());
        assertEquals(2, noModel.code());
        assertEquals("resdet eval run: --weights: required (or --via-kafka HOST:PORT to use a running service)", noModel.lastErrLine());
    }
}
