package io.resdet.nn;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine the way resdet needs it: offline (DJL otherwise probes the network for
 * natives it already has from the Maven jar), with the libtorch {@link GpuSetup} chose (the bundled CPU one,
 * {@code PYTORCH_LIBRARY_PATH}, or {@code RESDET_GPU=cu128}), and with an explicit intra-op thread count when
 * {@code RESDET_THREADS} / {@code -Dresdet.threads} asks for one.
 */
public final class Engines {
    private static volatile Engine engine;

    private Engines() {}

    /**
     * The engine, started on first use.
     *
     * @throws IllegalStateException one line when the chosen libtorch cannot be used (a wrong
     *     {@code PYTORCH_LIBRARY_PATH}, a CUDA libtorch that is missing and may not be fetched, a JNI that does
     *     not load against it)
     */
    public static Engine pytorch() {
        Engine e = engine;
        if (e != null) return e;
        synchronized (Engines.class) {
            if (engine == null) {
                if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
                String threads = System.getProperty("resdet.threads", System.getenv("RESDET_THREADS"));
                if (threads != null && System.getProperty("ai.djl.pytorch.num_threads") == null) {
                    System.setProperty("ai.djl.pytorch.num_threads", threads);
                    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                }
                GpuSetup.Choice c = GpuSetup.configure();
                if (c.problem() != null) throw new IllegalStateException(c.problem());
                Engine[] started = new Engine[1];
                try {
                    GpuSetup.fetch(() -> started[0] = Engine.getEngine("PyTorch"));
                } catch (IllegalStateException ex) {
                    throw ex;
                } catch (RuntimeException | UnsatisfiedLinkError ex) {
                    throw new IllegalStateException("the PyTorch engine did not load " + describe(c) + ": " + rootMessage(ex), ex);
                }
                engine = started[0];
            }
            return engine;
        }
    }

    /** Where the libtorch that failed came from, for the one-line error. */
    private static String describe(GpuSetup.Choice c) {
        if (c.dir() == null) return "(bundled CPU libtorch " + GpuSetup.LIBTORCH_VERSION + ")";
        return "(" + c.source() + ", " + c.dir() + ", flavour " + c.flavor() + ")";
    }

    /** The innermost cause's message on one line: native loaders wrap the useful part (a missing symbol or file). */
    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        String m = r.getMessage() == null ? r.toString() : r.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
