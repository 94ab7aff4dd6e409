package io.resdet.cli;

import io.resdet.eval.ProgressListener;

import java.io.PrintStream;

/** Shows the eval module's stage callbacks as progress lines with rate and ETA, one stage at a time. */
final class ConsoleProgress implements ProgressListener {
    private final String prefix;
    private final PrintStream err;
    private String stage = "";
    private io.resdet.util.Progress bar;

    ConsoleProgress(String prefix) {
        this.prefix = prefix;
        this.err = System.err;
    }

    /** A one-off status line. */
    synchronized void say(String message) {
        err.println(prefix + ": " + message);
    }

    @Override
    public synchronized void update(String stage, long done, long total) {
        if (!stage.equals(this.stage) || bar == null) {
            if (bar != null) bar.close();
            this.stage = stage;
            bar = new io.resdet.util.Progress(prefix + ": " + stage, total, "items");
        }
        bar.update(done);
        if (done >= total) {
            bar.close();
            bar = null;
            this.stage = "";
        }
    }
}
