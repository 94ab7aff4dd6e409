package io.resdet.detector.djl;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers {@link ResdetModelZoo} with DJL through {@code ServiceLoader} (META-INF/services). */
public final class ResdetZooProvider implements ZooProvider {
    @Override
    public ModelZoo getModelZoo() {
        return new ResdetModelZoo();
    }
}
