package io.resdet.nn;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine the way resdet needs it: offline (DJL otherwise probes the network for
 * natives it already has from the Maven jar) and with an explicit intra-op thread count when
 * {@code RESDET_THREADS} / {@code -Dresdet.threads} asks for one.
 */
public final class Engines {
    private static volatile Engine engine;

    private Engines() {}

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
                engine = Engine.getEngine("PyTorch");
            }
            return engine;
        }
    }
}
