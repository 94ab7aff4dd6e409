package io.resdet.streamservice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.Attempts;
import io.resdet.image.RgbImage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector stage: a micro-batch of frame records in, exactly one {@link Outcome} per record out, whatever happens
 * to it. Frames are validated and decoded ({@link FrameDecoder}), detected together ({@link Attempts}: a batch that
 * fails is retried frame by frame), and turned into result or dead-letter records ({@link OutputRecords}). Any
 * failure while handling one record dead-letters that record: never the batch, never the pipeline. Thread-safe: runs
 * on the pipeline's workers.
 */
final class FrameProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(FrameProcessor.class);

    private final FrameDecoder decoder;
    private final FrameDetector detector;
    private final OutputRecords records;
    private final Metrics metrics;
    private final long maxLagMs;

    FrameProcessor(FrameDecoder decoder, FrameDetector detector, OutputRecords records, Metrics metrics, long maxLagMs) {
        this.decoder = decoder;
        this.detector = detector;
        this.records = records;
        this.metrics = metrics;
        this.maxLagMs = maxLagMs;
    }

    List<Outcome> process(List<ConsumerRecord<String, byte[]>> recs) {
        try {
            return processRecords(recs);
        } catch (RuntimeException | OutOfMemoryError e) {
            // Last resort (a bug here, not a frame): still one dead letter per record, and the stream goes on.
            LOG.error("batch of {} failed: {}", recs.size(), e.toString());
            List<Outcome> out = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : recs) out.add(deadLetter(r, "internal-error", e.toString()));
            return out;
        }
    }

    /** A frame ready for the detector. */
    private record Decoded(int index, FrameDecoder.FrameInfo info, RgbImage image, List<String> warnings) {}

    private List<Outcome> processRecords(List<ConsumerRecord<String, byte[]>> recs) {
        Outcome[] out = new Outcome[recs.size()];
        List<Decoded> decoded = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < recs.size(); i++) {
            ConsumerRecord<String, byte[]> r = recs.get(i);
            try {
                FrameDecoder.FrameInfo f = decoder.info(r);
                double lagMs = System.currentTimeMillis() - f.captureTs();
                if (maxLagMs > 0 && lagMs > maxLagMs) {
                    metrics.skipped.increment();
                    ObjectNode json = ResultJson.skipped(f.stream(), f.frame(), f.captureTs(), detector.modelName(), lagMs);
                    out[i] = new Outcome(r, records.result(r, json), Outcome.Kind.SKIPPED, null);
                    continue;
                }
                long d0 = System.nanoTime();
                List<String> warnings = new ArrayList<>();
                RgbImage im = decoder.image(r, f, warnings::add);
                metrics.decodeSeconds.observe((System.nanoTime() - d0) / 1e9);
                decoded.add(new Decoded(i, f, im, warnings));
            } catch (Reject e) {
                out[i] = deadLetter(r, e.kind, e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                out[i] = deadLetter(r, "internal-error", e.toString());
            }
        }
        if (decoded.isEmpty()) return List.of(out);
        long d0 = System.nanoTime();
        List<Attempts.Attempt> dets = Attempts.detectEach(detector::detect, decoded.stream().map(Decoded::image).toList());
        metrics.detectSeconds.observe((System.nanoTime() - d0) / 1e9);
        double latency = (System.nanoTime() - t0) / 1e6;
        for (int k = 0; k < decoded.size(); k++) {
            Decoded d = decoded.get(k);
            ConsumerRecord<String, byte[]> r = recs.get(d.index());
            if (!dets.get(k).ok()) {
                out[d.index()] = deadLetter(r, "detect-error", dets.get(k).error());
                continue;
            }
            FrameDecoder.FrameInfo f = d.info();
            ObjectNode json = ResultJson.detections(f.stream(), f.frame(), f.captureTs(), d.image().width(), d.image().height(),
                    detector.modelName(), latency, dets.get(k).detections());
            if (!d.warnings().isEmpty()) {
                // Still a result (the decoder filled what it could not read), but never a silent one.
                ResultJson.warnings(json, d.warnings());
                metrics.decodeWarnings.increment();
                LOG.warn("{}", d.warnings().get(0));
            }
            out[d.index()] = new Outcome(r, records.result(r, json), Outcome.Kind.RESULT,
                    new DetectionPipeline.LiveFrame(f.stream(), f.frame(), r.value(), contentType(r), json));
        }
        return List.of(out);
    }

    private Outcome deadLetter(ConsumerRecord<String, byte[]> in, String kind, String error) {
        metrics.deadLetters.increment();
        LOG.warn("dead letter {}-{}@{} ({}): {}", in.topic(), in.partition(), in.offset(), kind, OutputRecords.clip(error, 300));
        return new Outcome(in, records.deadLetter(in, kind, error), Outcome.Kind.DEAD, null);
    }

    private static String contentType(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(Topics.H_CONTENT_TYPE);
        return h == null ? "image/jpeg" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
