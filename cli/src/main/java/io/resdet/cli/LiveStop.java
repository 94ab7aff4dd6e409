package io.resdet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A clean stop for an endless live run. Ctrl-C (SIGINT) or SIGTERM asks the loop to stop: it finishes the frame in
 * hand, flushes its results, closes its files and the command exits 0; a second Ctrl-C exits at once (130). Where
 * those signals cannot be caught, a shutdown hook does the same asking and waits for the loop (up to
 * {@link #WAIT_S} s) before the JVM goes. {@link #close()} when the loop is done.
 */
final class LiveStop implements AutoCloseable {
    static final long WAIT_S = 20;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private final List<Object[]> previous = new ArrayList<>();
    private volatile boolean asked;

    private LiveStop(String command, Runnable stop) {
        hook = new Thread(() -> {
            stop.run();
            try {
                done.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "resdet-live-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                previous.add(new Object[] {sig, sun.misc.Signal.handle(sig, s -> {
                    if (asked) Runtime.getRuntime().halt(130);
                    asked = true;
                    System.err.println(command + ": stopping (SIG" + name + "); finishing the current frame");
                    stop.run();
                })});
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Signal reserved by the VM (-Xrs and the like): the shutdown hook still stops the loop cleanly.
            }
        }
    }

    static LiveStop install(String command, Runnable stop) {
        return new LiveStop(command, stop);
    }

    @Override
    public void close() {
        done.countDown();
        for (Object[] p : previous) sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down already: the hook is running and has just been released.
        }
    }
}
