package io.resdet.streamservice;

import io.resdet.image.HostileImages;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded mix of valid and hostile frames (a quarter hostile, eleven kinds) on three streams through one service: every
 * frame gets exactly one answer (a result, or a dead letter for the hostile kinds that cannot be detected), no valid
 * frame is lost, and the service never stops. {@code -Dresdet.soak.frames=N} runs a longer soak with the same checks.
 */
@Timeout(value = 1800, unit = TimeUnit.SECONDS)
class HostileSoakTest {
    static TestBroker kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
        kafka.createTopics(2, "frames-soak", "results-soak", "dlq-soak");
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    static final byte[] WIDE_PNG = png(3000, 2);

    static byte[] png(int w, int h) {
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_3BYTE_BGR), "png", b);
            return b.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A hostile frame: what is sent, and what the service must answer with ("result" or a dead-letter kind). */
    record Hostile(String name, String key, byte[] value, RecordHeaders headers, String answer) {}

    static Hostile hostile(int kind, long frame, long now) {
        RecordHeaders h = FrameProducer.headers(frame, now, "image/jpeg");
        return switch (kind) {
            case 0 -> new Hostile("30000x30000 PNG header", "cam", HostileImages.pngDeclaring(30000, 30000), h, "oversized");
            case 1 -> {
                byte[] big = new byte[1_048_300];
                Arrays.fill(big, (byte) 7);
                yield new Hostile("1 MiB of garbage", "cam", big, h, "undecodable");
            }
            case 2 -> new Hostile("truncated JPEG", "cam", HostileImages.truncatedJpeg(320, 240), h, "result");
            case 3 -> new Hostile("no key", null, HostileImages.truncatedJpeg(64, 64), h, "malformed");
            case 4 -> {
                RecordHeaders none = new RecordHeaders();
                yield new Hostile("no frame header", "cam", new byte[] {1}, none, "malformed");
            }
            case 5 -> {
                h.remove(Topics.H_FRAME);
                h.add(Topics.H_FRAME, "-1".getBytes(StandardCharsets.UTF_8));
                yield new Hostile("negative frame header", "cam", new byte[] {1}, h, "malformed");
            }
            case 6 -> new Hostile("2000-byte key", "k".repeat(2000), new byte[] {1}, h, "malformed");
            case 7 -> new Hostile("text", "cam", "name=value&x=%zz".getBytes(StandardCharsets.UTF_8), h, "undecodable");
            case 8 -> new Hostile("empty value", "cam", new byte[0], h, "undecodable");
            case 9 -> new Hostile("4000x1 PNG header", "cam", HostileImages.pngDeclaring(4000, 1), h, "undecodable");
            default -> new Hostile("valid 3000x2 PNG", "cam", WIDE_PNG, h, "detect-error"); // the network cannot take it
        };
    }

    @Test
    void hostileFramesMixedWithValidOnesLoseNothing() throws Exception {
        int total = Integer.getInteger("resdet.soak.frames", 240);
        JsonObject cfg = TestSetup.serviceConfig(kafka.bootstrap()).put("frames-topic", "frames-soak")
                .put("results-topic", "results-soak").put("dlq-topic", "dlq-soak").put("group", "g-soak");
        Random rnd = new Random(20261202);
        List<SyntheticSource> streams = List.of(new SyntheticSource(96, 64, -1, 1), new SyntheticSource(96, 64, -1, 2),
                new SyntheticSource(96, 64, -1, 3));
        Map<String, String> expected = new TreeMap<>(); // "partition@offset" → answer
        Map<String, Integer> hostileKinds = new TreeMap<>();
        long t0 = System.nanoTime();
        try (StreamService svc = StreamService.start(cfg);
             FrameProducer p = new FrameProducer(kafka.bootstrap(), "frames-soak", Map.of())) {
            List<Future<?>> sent = new ArrayList<>();
            List<String> answers = new ArrayList<>();
            long[] next = new long[streams.size()];
            for (int i = 0; i < total; i++) {
                int s = rnd.nextInt(streams.size());
                long now = System.currentTimeMillis();
                if (rnd.nextInt(4) == 0) {
                    Hostile h = hostile(rnd.nextInt(11), next[s]++, now);
                    hostileKinds.merge(h.name(), 1, Integer::sum);
                    sent.add(p.send(h.key() == null ? null : h.key() + (h.key().equals("cam") ? s : ""), h.value(), h.headers()));
                    answers.add(h.answer());
                } else {
                    sent.add(p.send("cam" + s, next[s]++, now, streams.get(s).next()));
                    answers.add("result");
                }
            }
            p.flush();
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata md = (RecordMetadata) sent.get(i).get();
                expected.put(md.partition() + "@" + md.offset(), answers.get(i));
            }
            long wantResults = answers.stream().filter("result"::equals).count();
            Map<String, List<String>> answered = new HashMap<>();
            try (ResultReader r = new ResultReader(kafka.bootstrap(), List.of("results-soak", "dlq-soak"), true, Map.of())) {
                r.read(total, Duration.ofSeconds(Math.max(120, total)), rec -> {
                    String where, what;
                    if (rec.topic().equals("results-soak")) {
                        String id = ResultReader.header(rec, "ce_id"); // frames-soak-<partition>-<offset>
                        String[] parts = id.substring("frames-soak-".length()).split("-");
                        where = parts[0] + "@" + parts[1];
                        what = "result";
                    } else {
                        where = ResultReader.header(rec, Topics.H_SOURCE).substring("frames-soak-".length());
                        what = ResultReader.header(rec, Topics.H_ERROR_KIND);
                    }
                    answered.computeIfAbsent(where, k -> new ArrayList<>()).add(what);
                });
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> wrong = new ArrayList<>();
            expected.forEach((where, want) -> {
                List<String> got = answered.getOrDefault(where, List.of());
                if (!got.equals(List.of(want))) wrong.add(where + " wanted [" + want + "] got " + got);
            });
            assertEquals(List.of(), wrong, "every frame answered exactly once, as its kind demands");
            assertEquals(expected.size(), answered.size());
            assertTrue(svc.pipeline().healthy(), String.valueOf(svc.pipeline().failure()));
            assertEquals(wantResults, svc.metrics().resultsOut.sum());
            assertEquals(total - wantResults, svc.metrics().deadLetters.sum());
            System.out.printf("hostile soak: %d frames (%d hostile: %s) on 3 streams, %d results, %d dead letters, %.1f s, "
                            + "service healthy throughout%n", total, total - answers.stream().filter("result"::equals).count()
                            + hostileKinds.getOrDefault("truncated JPEG", 0), hostileKinds, wantResults, total - wantResults, seconds);
        }
    }
}
