package io.resdet.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr: count/total, rate, ETA. On a terminal it redraws in place; otherwise (logs, CI)
 * it prints a plain line at most every few seconds so logs stay readable.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long done;
    private long lastPrint;
    private String extra = "";

    public Progress(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null);
    }

    public Progress(String label, long total, String unit, PrintStream out, boolean tty) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.tty = tty;
    }

    /** Starts counting from {@code already} (a resumed job). */
    public Progress resumeFrom(long already) {
        done = already;
        return this;
    }

    public synchronized void step(long n) {
        update(done + n);
    }

    /** Sets the absolute count (for callers that report totals done so far). */
    public synchronized void update(long count) {
        done = count;
        long now = System.nanoTime();
        long gap = tty ? 200_000_000L : 5_000_000_000L;
        if (now - lastPrint > gap || done >= total) {
            lastPrint = now;
            print(false);
        }
    }

    /** Extra text shown after the rate (e.g. current loss). */
    public synchronized void note(String text) {
        extra = text == null ? "" : "  " + text;
    }

    public synchronized long done() {
        return done;
    }

    private void print(boolean last) {
        double secs = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
        double rate = done / secs;
        String eta = rate > 0 && total > done ? clock((total - done) / rate) : "00:00";
        String bar = "";
        if (total > 0) {
            int width = 24, filled = (int) Math.min(width, width * done / Math.max(total, 1));
            bar = "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] ";
        }
        String line = String.format(Locale.ROOT, "%s %s%d/%d %s  %.2f %s/s  elapsed %s  ETA %s%s",
                label, bar, done, total, unit, rate, unit, clock(secs), eta, extra);
        if (tty) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public synchronized void close() {
        print(true);
    }

    static String clock(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
