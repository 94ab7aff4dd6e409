package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.detector.Detection;
import io.resdet.streamservice.FrameProducer;
import io.resdet.streamservice.ResultReader;
import io.resdet.streamservice.Topics;
import io.resdet.util.Progress;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code eval run}'s Kafka pass ({@code --via-kafka}): the dataset's images go to the frames topic as one stream (frame = index in the image
 * list, header {@code resdet.image-id}), a running {@code resdet serve} detects them, and the results come back from
 * the results topic into the same {@code detections.jsonl} a local run writes. Resumable the same way: images already
 * in the file are not sent again, and results already on the topic from an interrupted attempt are taken as they are.
 */
final class EvalRunKafkaPass {
    private EvalRunKafkaPass() {}

    record Topics3(String frames, String results, String deadLetters) {}

    /**
     * A stream id that stays the same when the same run folder is resumed, and differs between run folders: two runs
     * sharing a broker never take each other's results.
     */
    static String streamId(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "run" : abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(abs.toString().getBytes(StandardCharsets.UTF_8));
            return "eval-" + name + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static EvalRunJournal.Outcome run(String bootstrap, Map<String, String> kafka, Topics3 topics, String stream,
                                    List<EvalRunJournal.Item> images, Path jsonl, Duration idleTimeout) throws IOException {
        Set<String> done = EvalRunJournal.finishedIds(jsonl, images);
        Map<Long, EvalRunJournal.Item> pending = new ConcurrentHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            if (!done.contains(images.get(i).id())) pending.put((long) i, images.get(i));
        }
        if (!done.isEmpty()) System.err.println("resdet eval run: resuming, " + done.size() + " of " + images.size() + " images already done");
        System.err.println("resdet eval run: via Kafka on " + bootstrap + ": stream " + stream + " to " + topics.frames()
                + ", results from " + topics.results());
        int[] failed = {0};
        try (BufferedWriter out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             Progress progress = new Progress("resdet eval run", images.size(), "img").resumeFrom(done.size());
             ResultReader reader = new ResultReader(bootstrap, List.of(topics.results(), topics.deadLetters()), true, kafka)) {
            Handler h = new Handler(stream, topics.results(), pending, out, progress, failed);
            // Results already on the topic (an interrupted attempt that the service answered) count without resending;
            // dead letters and skips from before are not final: those images are sent again.
            Map<TopicPartition, Long> ends = reader.endOffsets();
            long deadline = System.nanoTime() + idleTimeout.toNanos();
            while (!ends.isEmpty() && !reader.reached(ends)) {
                reader.read(0, Duration.ofSeconds(1), h::accept);
                if (System.nanoTime() > deadline) throw new UserError("reading the existing results from " + bootstrap + " took over " + idleTimeout.toSeconds() + " s", 1);
            }
            h.catchingUp = false;
            int already = images.size() - done.size() - pending.size() - failed[0];
            if (already > 0) System.err.println("resdet eval run: " + already + " results were already on " + topics.results());

            List<Long> toSend = new ArrayList<>(pending.keySet());
            toSend.sort(null);
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try (FrameProducer p = new FrameProducer(bootstrap, topics.frames(), kafka)) {
                    for (long frame : toSend) {
                        EvalRunJournal.Item it = pending.get(frame);
                        if (it == null) continue;
                        byte[] bytes;
                        try {
                            bytes = Files.readAllBytes(it.file());
                        } catch (NoSuchFileException e) {
                            h.fail(frame, it.file() + ": no such file");
                            continue;
                        } catch (IOException e) {
                            h.fail(frame, it.file() + ": cannot read (" + e.getMessage() + ")");
                            continue;
                        }
                        RecordHeaders hs = FrameProducer.headers(frame, System.currentTimeMillis(), contentType(it.file()));
                        hs.add(Topics.H_IMAGE_ID, it.id().getBytes(StandardCharsets.UTF_8));
                        p.send(stream, bytes, hs);
                    }
                    p.flush();
                } catch (Exception e) {
                    sendFailure.compareAndSet(null, e);
                }
            }, "resdet-eval-send");
            sender.setDaemon(true);
            sender.start();

            long lastProgress = System.nanoTime();
            int lastLeft = pending.size();
            while (!pending.isEmpty()) {
                reader.read(0, Duration.ofSeconds(1), h::accept);
                if (sendFailure.get() != null) throw new UserError(String.valueOf(sendFailure.get().getMessage()), 1);
                if (pending.size() != lastLeft) {
                    lastLeft = pending.size();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > idleTimeout.toNanos()) {
                    throw new UserError("no new result for " + idleTimeout.toSeconds() + " s with " + pending.size() + " images left: is `resdet serve` "
                            + "running on " + bootstrap + " with frames topic " + topics.frames() + "? (rerun to resume)", 1);
                }
            }
            sender.interrupt();
        }
        return new EvalRunJournal.Outcome(images.size(), done.size(), failed[0]);
    }

    static String contentType(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) return "image/png";
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "image/jpeg";
        return "application/octet-stream"; // the service decodes by content, not by this header
    }

    /** Takes this run's results and dead letters off the topics; everything else is someone else's. */
    private static final class Handler {
        final String stream, resultsTopic;
        final Map<Long, EvalRunJournal.Item> pending;
        final BufferedWriter out;
        final Progress progress;
        final int[] failed;
        volatile boolean catchingUp = true;

        Handler(String stream, String resultsTopic, Map<Long, EvalRunJournal.Item> pending, BufferedWriter out, Progress progress, int[] failed) {
            this.stream = stream;
            this.resultsTopic = resultsTopic;
            this.pending = pending;
            this.out = out;
            this.progress = progress;
            this.failed = failed;
        }

        void accept(ConsumerRecord<String, byte[]> r) {
            if (!stream.equals(r.key())) return;
            String image = ResultReader.header(r, Topics.H_IMAGE_ID);
            if (!r.topic().equals(resultsTopic)) {
                // A dead letter: the frame's own headers plus why it was rejected. One from an earlier attempt is not
                // final (the image is sent again); this attempt's are.
                if (catchingUp) return;
                String f = ResultReader.header(r, Topics.H_FRAME);
                long frame;
                try {
                    frame = Long.parseLong(f == null ? "" : f.trim());
                } catch (NumberFormatException e) {
                    return;
                }
                EvalRunJournal.Item it = pending.get(frame);
                if (it == null || (image != null && !image.equals(it.id()))) return;
                fail(frame, it.file() + ": rejected by the service (" + ResultReader.header(r, Topics.H_ERROR_KIND) + "): "
                        + ResultReader.header(r, Topics.H_ERROR));
                return;
            }
            JsonNode j = ResultReader.json(r);
            long frame = j.path("frame").asLong(-1);
            EvalRunJournal.Item it = pending.get(frame);
            // Another run that used this stream id (same folder, other dataset) is told apart by the image id.
            if (it == null || (image != null && !image.equals(it.id()))) return;
            if (j.path("skipped").asBoolean(false)) {
                if (catchingUp) return;
                fail(frame, it.file() + ": skipped by the service (older than its max-lag-ms); rerun to send it again");
                return;
            }
            List<Detection> dets = new ArrayList<>();
            for (JsonNode d : j.get("detections")) {
                JsonNode b = d.get("box");
                // The service writes the detector's float32 values exactly; read back as floats, the line is the one a
                // local run writes for the same detections.
                dets.add(new Detection((float) b.get(0).asDouble(), (float) b.get(1).asDouble(), (float) b.get(2).asDouble(),
                        (float) b.get(3).asDouble(), d.get("label").asInt(), d.path("name").asText(), (float) d.get("score").asDouble()));
            }
            try {
                out.write(EvalRunJournal.line(it.id(), dets) + "\n");
                out.flush(); // durable before it counts as done
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            pending.remove(frame);
            progress.step(1);
        }

        synchronized void fail(long frame, String message) {
            if (pending.remove(frame) == null) return;
            System.err.println("resdet eval run: " + message);
            failed[0]++;
            progress.step(1);
        }
    }
}
