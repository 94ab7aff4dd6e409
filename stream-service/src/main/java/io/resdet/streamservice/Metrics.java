package io.resdet.streamservice;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small Prometheus registry (text format 0.0.4): counters, gauges and fixed-bucket histograms. Hand-rolled because
 * the service needs a dozen series, not a metrics framework; every update is lock-free.
 */
public final class Metrics {
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder resultsOut = new LongAdder();
    public final LongAdder deadLetters = new LongAdder();
    public final LongAdder skipped = new LongAdder();
    public final LongAdder detectRequests = new LongAdder();
    public final LongAdder commits = new LongAdder();
    public final LongAdder decodeWarnings = new LongAdder();
    /** HTTP responses by status class: index 1 is 1xx ... 5 is 5xx. */
    private final LongAdder[] httpResponses = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    public final LongAdder httpConnectionsRefused = new LongAdder();
    public final AtomicLong httpConnections = new AtomicLong();
    public final AtomicLong inFlight = new AtomicLong();
    public final AtomicLong pausedPartitions = new AtomicLong();
    /** With tracking: confirmed tracks followed now, all streams of this replica. */
    public final AtomicLong activeTracks = new AtomicLong();
    public final Histogram decodeSeconds = new Histogram(LATENCY);
    public final Histogram detectSeconds = new Histogram(LATENCY);
    public final Histogram publishSeconds = new Histogram(LATENCY);
    public final Histogram endToEndSeconds = new Histogram(LATENCY);
    public final Histogram batchSize = new Histogram(new double[] {1, 2, 4, 8, 16, 32, 64});
    /** With zones: per stream, occupancy of each zone and the counts so far (set by the consumer thread). */
    private final Map<String, Map<String, Integer>> occupancy = new ConcurrentHashMap<>();
    private final Map<String, io.resdet.analytics.ZoneCounts> zoneCounts = new ConcurrentHashMap<>();

    /** A stream's zone figures after a frame (they replace the previous ones: counts continue across restarts). */
    public void zones(String stream, Map<String, Integer> occ, io.resdet.analytics.ZoneCounts counts) {
        occupancy.put(stream, Map.copyOf(occ));
        zoneCounts.put(stream, counts);
    }

    /** The stream went to another replica, which reports it from now on. */
    public void forgetStream(String stream) {
        occupancy.remove(stream);
        zoneCounts.remove(stream);
    }

    /** Consumer lag per partition ("topic-partition" → records behind), refreshed by the consumer thread. */
    public final Map<String, Long> lag = new ConcurrentHashMap<>();

    private static final double[] LATENCY = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Cumulative-bucket histogram. */
    public static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) counts[i] = new LongAdder();
        }

        public void observe(double v) {
            for (int i = 0; i < bounds.length; i++) if (v <= bounds[i]) counts[i].increment();
            sum.add(v);
            count.increment();
        }

        public long count() {
            return count.sum();
        }

        void write(StringBuilder sb, String name, String help) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(" histogram\n");
            for (int i = 0; i < bounds.length; i++) {
                sb.append(name).append("_bucket{le=\"").append(num(bounds[i])).append("\"} ").append(counts[i].sum()).append('\n');
            }
            sb.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
            sb.append(name).append("_sum ").append(num(sum.sum())).append('\n');
            sb.append(name).append("_count ").append(count.sum()).append('\n');
        }
    }

    public void httpResponse(int status) {
        httpResponses[Math.max(1, Math.min(5, status / 100))].increment();
    }

    public String scrape() {
        StringBuilder sb = new StringBuilder(4096);
        counter(sb, "resdet_frames_in_total", "Frames read from the frames topic.", framesIn.sum());
        counter(sb, "resdet_results_out_total", "Results acknowledged by the broker.", resultsOut.sum());
        counter(sb, "resdet_dead_letters_total", "Frames sent to the dead-letter topic.", deadLetters.sum());
        counter(sb, "resdet_skipped_total", "Frames older than max-lag-ms, published as skipped.", skipped.sum());
        counter(sb, "resdet_detect_requests_total", "POST /v1/detect requests.", detectRequests.sum());
        counter(sb, "resdet_commits_total", "Offset commits.", commits.sum());
        counter(sb, "resdet_decode_warnings_total", "Images decoded with a warning (e.g. a truncated JPEG, its missing part grey).", decodeWarnings.sum());
        sb.append("# HELP resdet_http_responses_total HTTP responses by status class.\n# TYPE resdet_http_responses_total counter\n");
        for (int c = 1; c <= 5; c++) sb.append("resdet_http_responses_total{code=\"").append(c).append("xx\"} ").append(httpResponses[c].sum()).append('\n');
        counter(sb, "resdet_http_connections_refused_total", "Connections closed at once because http-max-connections were open.", httpConnectionsRefused.sum());
        gauge(sb, "resdet_http_connections", "Open HTTP connections.", httpConnections.get());
        gauge(sb, "resdet_in_flight_frames", "Frames consumed but not yet committed.", inFlight.get());
        gauge(sb, "resdet_paused_partitions", "Partitions paused for backpressure.", pausedPartitions.get());
        gauge(sb, "resdet_active_tracks", "Confirmed tracks followed now (serve --track), all streams of this replica.", activeTracks.get());
        sb.append("# HELP resdet_consumer_lag_records Records behind the log end, per partition.\n");
        sb.append("# TYPE resdet_consumer_lag_records gauge\n");
        lag.forEach((tp, v) -> sb.append("resdet_consumer_lag_records{partition=\"").append(tp).append("\"} ").append(v).append('\n'));
        zoneSeries(sb);
        decodeSeconds.write(sb, "resdet_decode_seconds", "Frame decode time.");
        detectSeconds.write(sb, "resdet_detect_seconds", "Detection time per micro-batch.");
        publishSeconds.write(sb, "resdet_publish_seconds", "Send to broker acknowledgement per result.");
        endToEndSeconds.write(sb, "resdet_end_to_end_seconds", "Capture timestamp to result acknowledged.");
        batchSize.write(sb, "resdet_batch_size", "Frames per micro-batch.");
        return sb.toString();
    }

    private void zoneSeries(StringBuilder sb) {
        if (zoneCounts.isEmpty()) return;
        sb.append("# HELP resdet_zone_occupancy Tracked objects inside each zone now (serve --track with zones).\n# TYPE resdet_zone_occupancy gauge\n");
        occupancy.forEach((s, m) -> m.forEach((z, n) -> sb.append("resdet_zone_occupancy{stream=\"").append(label(s)).append("\",zone=\"")
                .append(label(z)).append("\"} ").append(n).append('\n')));
        sb.append("# HELP resdet_zone_entries_total Tracks that entered each zone.\n# TYPE resdet_zone_entries_total counter\n");
        zoneCounts.forEach((s, c) -> c.zones().forEach((z, n) -> sb.append("resdet_zone_entries_total{stream=\"").append(label(s))
                .append("\",zone=\"").append(label(z)).append("\"} ").append(n.entries()).append('\n')));
        sb.append("# HELP resdet_zone_exits_total Tracks that left each zone (or were lost in it).\n# TYPE resdet_zone_exits_total counter\n");
        zoneCounts.forEach((s, c) -> c.zones().forEach((z, n) -> sb.append("resdet_zone_exits_total{stream=\"").append(label(s))
                .append("\",zone=\"").append(label(z)).append("\"} ").append(n.exits()).append('\n')));
        sb.append("# HELP resdet_line_crossings_total Tracks that crossed each counting line, by direction.\n# TYPE resdet_line_crossings_total counter\n");
        zoneCounts.forEach((s, c) -> c.lines().forEach((l, n) -> {
            sb.append("resdet_line_crossings_total{stream=\"").append(label(s)).append("\",line=\"").append(label(l))
                    .append("\",direction=\"in\"} ").append(n.in()).append('\n');
            sb.append("resdet_line_crossings_total{stream=\"").append(label(s)).append("\",line=\"").append(label(l))
                    .append("\",direction=\"out\"} ").append(n.out()).append('\n');
        }));
    }

    /** A Prometheus label value: backslash, double quote and newline escaped (stream ids are the senders' strings). */
    static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
