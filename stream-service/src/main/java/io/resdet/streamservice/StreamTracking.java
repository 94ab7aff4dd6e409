package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.analytics.AnalyticsJson;
import io.resdet.analytics.FrameAnalytics;
import io.resdet.analytics.ZoneAnalytics;
import io.resdet.analytics.ZoneEvent;
import io.resdet.analytics.Zones;
import io.resdet.tracking.ByteTracker;
import io.resdet.tracking.TrackedObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code serve --track}: one {@link ByteTracker} per stream, fed each answered frame of the stream in the order of
 * the frames topic. It runs on the consumer's thread between detection and publishing, where batches are already
 * back in log order (detection itself runs on workers, in parallel): tracking costs microseconds a frame, and one
 * thread means no tracker is ever touched concurrently.
 *
 * <p>Where the state lives: each stream's tracker state is written after every batch to a compacted topic
 * ({@code tracks-topic}) that is co-partitioned with the frames topic (state of frames partition p in its partition
 * p, key = stream id). The replica that is assigned frames partition p reads state partition p and continues each
 * stream's tracker from it. Chosen over replaying the last N frames because replay would re-run the detector on N
 * frames per stream at every rebalance and still give new ids to tracks older than N frames; the state record is
 * small (≈1.5 KB a track) and exact. With exactly-once the state goes in the batch's transaction, so the state a new
 * owner reads is the one belonging to the committed offsets: ids continue exactly. At-least-once commits offsets
 * after acknowledgements, so a crash can leave the state up to one commit window ahead of the offsets; the replayed
 * frames then meet a tracker that has seen them (objects moving less than their size in that window keep their ids;
 * measured in the README).
 *
 * <p>Skipped frames ({@code max-lag-ms}) advance the tracker with no detections, so its motion model keeps time;
 * dead-lettered frames are not seen by it at all.
 *
 * <p>With zones ({@code zones} file), each stream also has a {@link ZoneAnalytics}: results get {@code "zones"}
 * (occupancy) and {@code "lines"} (crossings so far), each enter/exit/cross event becomes a CloudEvent on
 * {@code events-topic} published with its frame's result (in the same transaction with exactly-once), and the
 * analytics state travels in the same state record as the tracker, so counts continue across restarts too.
 */
final class StreamTracking {
    private static final Logger LOG = LoggerFactory.getLogger(StreamTracking.class);
    static final String STATE_SCHEMA = "resdet.tracks/v1";

    /** One stream's tracking state and where it came from. */
    private static final class StreamState {
        ByteTracker tracker;
        ZoneAnalytics analytics;
        int partition;
        long offset = -1;
        int width, height;
    }

    private final TrackingSettings settings;
    private final PipelineSettings pipeline;
    private final Metrics metrics;
    private final int maxRecordBytes;
    private final Map<String, StreamState> streams = new HashMap<>();
    /** Snapshots read from the state topic for assigned partitions, not yet claimed by a frame. */
    private final Map<String, ObjectNode> restored = new HashMap<>();

    StreamTracking(PipelineSettings pipeline, Metrics metrics) {
        this.pipeline = pipeline;
        this.settings = pipeline.tracking();
        this.metrics = metrics;
        this.maxRecordBytes = pipeline.maxRecordBytes();
    }

    /** The batch's outcomes with track ids on the results and each touched stream's new state as an extra record. */
    List<Outcome> apply(List<Outcome> batch) {
        List<Outcome> out = new ArrayList<>(batch);
        Map<String, Integer> lastOfStream = new LinkedHashMap<>();
        for (int i = 0; i < out.size(); i++) {
            Outcome o = out.get(i);
            if (!o.isResult() || o.in().key() == null) continue;
            String stream = o.in().key();
            StreamState st = state(stream, o.in().partition());
            st.offset = o.in().offset();
            if (o.kind() == Outcome.Kind.SKIPPED) {
                List<TrackedObject> none = st.tracker.update(List.of());
                // A skipped frame has no size of its own; the stream's last one resolves normalized zones.
                if (st.analytics != null && st.width > 0) {
                    FrameDecoder.FrameInfo f = info(o);
                    out.set(i, o.with(o.out(), events(o, stream, st.analytics.update(f.frame(), f.captureTs(), st.width, st.height, none), Map.of())));
                }
            } else {
                ObjectNode json = o.live().result();
                List<TrackedObject> tracked = track(st.tracker, json);
                List<ProducerRecord<String, byte[]>> extras = new ArrayList<>(o.extras());
                if (st.analytics != null) {
                    st.width = json.path("width").asInt();
                    st.height = json.path("height").asInt();
                    FrameAnalytics fa = st.analytics.update(json.get("frame").asLong(), json.get("captureTs").asLong(), st.width, st.height, tracked);
                    json.set("zones", AnalyticsJson.occupancy(fa));
                    json.set("lines", AnalyticsJson.counts(st.analytics.counts()).get("lines"));
                    extras.addAll(events(o, stream, fa, classNames(json)));
                    metrics.zones(stream, st.analytics.occupancy(), st.analytics.counts());
                }
                out.set(i, o.with(records().result(o.in(), json), extras));
            }
            lastOfStream.put(stream, i);
        }
        for (Map.Entry<String, Integer> e : lastOfStream.entrySet()) {
            Outcome o = out.get(e.getValue());
            List<ProducerRecord<String, byte[]>> extras = new ArrayList<>(o.extras());
            extras.add(stateRecord(e.getKey(), streams.get(e.getKey())));
            out.set(e.getValue(), o.with(o.out(), extras));
        }
        metrics.activeTracks.set(activeTracks());
        return out;
    }

    private OutputRecords records;

    /** The builder of result records (shared with the pipeline, so results look the same with and without tracking). */
    StreamTracking records(OutputRecords r) {
        this.records = r;
        return this;
    }

    private OutputRecords records() {
        return records;
    }

    /** The frame's zone events as CloudEvents records on the events topic, keyed by the stream. */
    private List<ProducerRecord<String, byte[]>> events(Outcome o, String stream, FrameAnalytics fa, Map<Integer, String> names) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (int k = 0; k < fa.events().size(); k++) {
            ZoneEvent e = fa.events().get(k);
            ObjectNode value = AnalyticsJson.event(e, names::get);
            value.put("stream", stream);
            out.add(records().event(o.in(), k, eventType(e), e.timestampMs(), settings.eventsTopic(), ResultJson.bytes(value)));
        }
        return out;
    }

    /** The CloudEvents type of a zone event. */
    static String eventType(ZoneEvent e) {
        return switch (e.kind()) {
            case ENTER -> "io.resdet.zone.enter.v1";
            case EXIT -> "io.resdet.zone.exit.v1";
            case CROSS -> "io.resdet.line.cross.v1";
        };
    }

    private static Map<Integer, String> classNames(ObjectNode json) {
        Map<Integer, String> names = new HashMap<>();
        for (JsonNode d : json.get("detections")) names.putIfAbsent(d.get("label").asInt(), d.path("name").asText(null));
        return names;
    }

    /** What the headers of an answered frame say (they were checked when it was read, so this cannot fail). */
    private static FrameDecoder.FrameInfo info(Outcome o) {
        try {
            return new FrameDecoder(Integer.MAX_VALUE, Long.MAX_VALUE).info(o.in());
        } catch (Reject e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Feeds the result's detections to the tracker and writes {@code track_id} (null: no confirmed track) on each;
     * returns the confirmed tracks of the frame.
     */
    private static List<TrackedObject> track(ByteTracker tracker, ObjectNode json) {
        ArrayNode dets = (ArrayNode) json.get("detections");
        List<ByteTracker.Det> in = new ArrayList<>(dets.size());
        for (JsonNode d : dets) {
            JsonNode b = d.get("box");
            in.add(new ByteTracker.Det(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble(),
                    (float) d.get("score").asDouble(), d.get("label").asInt()));
        }
        int[] ids = new int[in.size()];
        List<TrackedObject> tracked = tracker.update(in);
        for (TrackedObject t : tracked) ids[t.detection()] = t.trackId();
        for (int k = 0; k < ids.length; k++) {
            ObjectNode d = (ObjectNode) dets.get(k);
            if (ids[k] > 0) d.put("track_id", ids[k]);
            else d.putNull("track_id");
        }
        return tracked;
    }

    private StreamState state(String stream, int partition) {
        StreamState st = streams.get(stream);
        if (st != null && st.partition == partition) return st;
        st = new StreamState();
        st.partition = partition;
        ObjectNode snap = restored.remove(stream);
        Zones.StreamZones zones = settings.zones() == null ? Zones.StreamZones.NONE : settings.zones().forStream(stream);
        if (snap != null && snap.path("partition").asInt(-1) == partition) {
            try {
                st.tracker = ByteTracker.restore(settings.tracker(), ResultJson.MAPPER.treeToValue(snap.get("tracker"), ByteTracker.Snapshot.class));
                st.offset = snap.path("offset").asLong(-1);
                st.width = snap.path("width").asInt();
                st.height = snap.path("height").asInt();
                LOG.info("stream {}: tracker restored at frames offset {} ({} frames seen)", stream, st.offset, st.tracker.frame());
            } catch (IOException | IllegalArgumentException e) {
                // Never silent: the stream's ids start again, and the log says why.
                LOG.warn("stream {}: stored tracker state unusable ({}); its track ids start again", stream, e.toString());
            }
            JsonNode a = snap.get("analytics");
            if (a != null && !zones.isEmpty()) {
                try {
                    // Counts always continue; per-track sides only if the tracker continues too (a new track 1 must
                    // not inherit an old track 1's side of a line and count a crossing it never made).
                    st.analytics = ZoneAnalytics.restore(zones, lostAfter(), st.tracker != null ? a : ZoneAnalytics.withoutTracks(a));
                } catch (IllegalArgumentException e) {
                    LOG.warn("stream {}: stored zone counts unusable ({}); its counts start again", stream, e.toString());
                }
            }
        }
        if (st.tracker == null) st.tracker = new ByteTracker(settings.tracker());
        if (st.analytics == null && !zones.isEmpty()) st.analytics = new ZoneAnalytics(zones, lostAfter());
        streams.put(stream, st);
        return st;
    }

    /** Zone analytics give a track up when the tracker does. */
    private int lostAfter() {
        return settings.tracker().maxTimeLost();
    }

    private ProducerRecord<String, byte[]> stateRecord(String stream, StreamState st) {
        ByteTracker.Snapshot snap = st.tracker.snapshot();
        byte[] value = stateBytes(stream, st, snap);
        if (value.length + 1024 + stream.length() > maxRecordBytes) {
            // Hundreds of tracks in one stream: keep the tracked ones, lost ones may come back with new ids.
            LOG.warn("stream {}: tracker state {} bytes; stored without its {} lost tracks", stream, value.length, snap.lost().size());
            value = stateBytes(stream, st, new ByteTracker.Snapshot(snap.frame(), snap.nextId(), snap.tracked(), List.of()));
        }
        return new ProducerRecord<>(settings.tracksTopic(), st.partition, stream, value);
    }

    private static byte[] stateBytes(String stream, StreamState st, ByteTracker.Snapshot snap) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("schema", STATE_SCHEMA);
        o.put("stream", stream);
        o.put("partition", st.partition);
        o.put("offset", st.offset);
        o.put("width", st.width);
        o.put("height", st.height);
        o.set("tracker", ResultJson.MAPPER.valueToTree(snap));
        if (st.analytics != null) o.set("analytics", st.analytics.snapshot());
        return ResultJson.bytes(o);
    }

    /** The partitions went to another replica: their streams' trackers go with them (that replica reads the state). */
    void forget(Collection<TopicPartition> parts) {
        for (TopicPartition tp : parts) {
            streams.entrySet().removeIf(e -> {
                if (e.getValue().partition != tp.partition()) return false;
                metrics.forgetStream(e.getKey());
                return true;
            });
            restored.values().removeIf(s -> s.path("partition").asInt(-1) == tp.partition());
        }
        metrics.activeTracks.set(activeTracks());
    }

    /**
     * Reads the latest state of every stream of the newly assigned frames partitions from the state topic (committed
     * records only). A stream whose state cannot be read starts with new ids, and the log says so.
     */
    void restore(Collection<TopicPartition> parts) {
        List<TopicPartition> stateParts = new ArrayList<>();
        for (TopicPartition tp : parts) stateParts.add(new TopicPartition(settings.tracksTopic(), tp.partition()));
        if (stateParts.isEmpty()) return;
        Properties p = new Properties();
        p.putAll(pipeline.kafka());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, pipeline.instanceId() + "-tracks-restore");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        int n = 0;
        long t0 = System.nanoTime();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(stateParts);
            c.seekToBeginning(stateParts);
            Map<TopicPartition, Long> end = c.endOffsets(stateParts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(c, end)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("timed out reading " + stateParts);
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || r.value() == null) continue;
                    try {
                        restored.put(r.key(), (ObjectNode) ResultJson.MAPPER.readTree(r.value()));
                        n++;
                    } catch (IOException | ClassCastException e) {
                        LOG.warn("{}-{}@{}: unreadable tracker state ({})", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("tracker state of {} could not be read ({}); those streams' track ids start again", stateParts, e.toString());
            return;
        }
        // A stream already tracked here keeps its live tracker: it never left this replica.
        restored.keySet().removeIf(streams::containsKey);
        LOG.info("read {} tracker states from {} in {} ms", n, stateParts, (System.nanoTime() - t0) / 1_000_000);
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) if (c.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    private int activeTracks() {
        int n = 0;
        for (StreamState st : streams.values()) n += st.tracker.activeTracks();
        return n;
    }
}
