package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class StateDictTest {
    private static final TensorData W = TensorData.ofFloats(new long[] {1}, new float[] {1});
    private static final TensorData B = TensorData.ofFloats(new long[] {1}, new float[] {2});
    private static final TensorData N = TensorData.ofLongs(new long[0], new long[] {3});

    private static StateDict sample() {
        return new StateDict().put("backbone.conv.weight", W).put("backbone.bn.num_batches_tracked", N).put("head.bias", B);
    }

    @Test
    void keepsInsertionOrderAndReplacesInPlace() {
        StateDict sd = sample();
        sd.put("backbone.conv.weight", B);

        assertEquals(List.of("backbone.conv.weight", "backbone.bn.num_batches_tracked", "head.bias"), sd.keys());
        assertSame(B, sd.get("backbone.conv.weight"));
        assertEquals(3, sd.size());
    }

    @Test
    void getNamesTheMissingKey() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> sample().get("fc.weight"));
        assertEquals("no tensor 'fc.weight' in state dict", e.getMessage());
    }

    @Test
    void removeAndContains() {
        StateDict sd = sample();
        assertSame(N, sd.remove("backbone.bn.num_batches_tracked"));
        assertNull(sd.remove("backbone.bn.num_batches_tracked"));
        assertFalse(sd.contains("backbone.bn.num_batches_tracked"));
        assertTrue(sd.contains("head.bias"));
        assertEquals(List.of("backbone.conv.weight", "head.bias"), sd.keys());
    }

    @Test
    void withoutPrefixKeepsOnlyMatchingKeysInOrder() {
        StateDict backbone = sample().withoutPrefix("backbone.");
        assertEquals(List.of("conv.weight", "bn.num_batches_tracked"), backbone.keys());
        assertSame(W, backbone.get("conv.weight"));
    }

    @Test
    void filterByKeyAndTensor() {
        StateDict floats = sample().filter((k, t) -> t.dtype() == DType.FLOAT32);
        assertEquals(List.of("backbone.conv.weight", "head.bias"), floats.keys());
        assertEquals(List.of("head.bias"), sample().filter((k, t) -> k.startsWith("head")).keys());
    }

    @Test
    void equalityIncludesOrder() {
        assertEquals(sample(), sample());
        StateDict reordered = new StateDict().put("head.bias", B).put("backbone.conv.weight", W)
                .put("backbone.bn.num_batches_tracked", N);
        assertNotEquals(sample(), reordered);
    }

    @Test
    void keysAndMapViewsDoNotLeakMutation() {
        StateDict sd = sample();
        sd.keys().clear();
        assertEquals(3, sd.size());
        assertThrows(UnsupportedOperationException.class, () -> sd.asMap().clear());
    }
}
