package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The model and service settings the broker-backed tests share. */
final class TestSetup {
    private TestSetup() {}

    /** The tiny random-weights model, written once per build into target/. */
    static synchronized Path tinyWeights() throws IOException {
        Path p = Path.of("target", "test-models", "tiny-fasterrcnn-r18.safetensors");
        if (!Files.exists(p)) Models.writeTinyWeights(p);
        return p;
    }

    /** Service config for tests: tiny model, ephemeral HTTP port, small batches. */
    static JsonObject serviceConfig(String bootstrap) throws IOException {
        return ServiceConfig.defaults().put("bootstrap", bootstrap).put("http-port", 0).put("batch-size", 4)
                .put("batch-ms", 20).put("workers", 2)
                .put("model", Models.TINY.copy().put("weights", tinyWeights().toString())
                        .put("min-size", 64).put("max-size", 80).put("rpn-proposals", 20));
    }
}
