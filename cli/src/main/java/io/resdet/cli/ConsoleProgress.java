package io.resdet.cli;

import io.resdet.eval.Progress;
import java.io.PrintStream;

/** Prints progress of long steps to stderr: at most one line per 10 % per stage, so logs stay short. */
final class ConsoleProgress implements Progress {
    private final String prefix;
    private final PrintStream err;
    private String stage = "";
    private long lastDecile = -1;

    ConsoleProgress(String prefix) {
        this.prefix = prefix;
        this.err = System.err;
    }

    /** A one-off status line. */
    void say(String message) {
        synchronized (this) {
            err.println(prefix + ": " + message);
        }
    }

    @Override
    public synchronized void update(String stage, long done, long total) {
        if (!stage.equals(this.stage)) {
            this.stage = stage;
            lastDecile = -1;
        }
        long decile = total <= 0 ? 10 : done * 10 / total;
        if (decile <= lastDecile || (done != 0 && done != total && decile == lastDecile)) return;
        lastDecile = decile;
        err.println(prefix + ": " + stage + " " + done + "/" + total);
    }
}
