package io.resdet.eval.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.resdet.eval.coco.Params;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sorting, formatting, id lookup and threshold helpers. */
class UtilTest {
    @Test
    void stableSortMatchesAStableReferenceSortWithManyTies() {
        Random rnd = new Random(3);
        for (int n : new int[] {0, 1, 5, 24, 25, 100, 1000}) {
            double[] score = new double[n];
            for (int i = 0; i < n; i++) score[i] = rnd.nextInt(7) / 10.0; // many ties
            if (n > 3) score[2] = -0.0; // -0.0 and 0.0 tie, as in numpy
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            StableSort.byScoreDesc(idx, 0, n, score);
            Integer[] ref = new Integer[n];
            for (int i = 0; i < n; i++) ref[i] = i;
            Arrays.sort(ref, Comparator.comparingDouble(i -> -score[i] + 0.0)); // List.sort is stable
            assertArrayEquals(Arrays.stream(ref).mapToInt(Integer::intValue).toArray(), idx, "n=" + n);
        }
    }

    @Test
    void formatsLikePythonNotLikeJava() {
        assertEquals("0.123", PyFormat.fixed(0.1235, 3)); // the double is 0.12349999…
        assertEquals("0.062", PyFormat.fixed(0.0625, 3)); // exact tie: half-even
        assertEquals("-1.000", PyFormat.fixed(-1, 3));
        assertEquals("0.50", PyFormat.fixed(0.5, 2));
        assertEquals("0.95", PyFormat.fixed(0.95, 2));
    }

    @Test
    void longIndexFindsLargeAndNegativeIds() {
        long[] ids = {-5, 0, 7, 576576, Long.MAX_VALUE};
        LongIndex ix = new LongIndex(ids);
        for (int i = 0; i < ids.length; i++) assertEquals(i, ix.indexOf(ids[i]));
        assertEquals(-1, ix.indexOf(8));
    }

    @Test
    void linspaceGivesNumpysValues() {
        double[] iou = Params.linspace(0.5, 0.95, 10);
        assertEquals(0.8999999999999999, iou[8], 0);
        assertEquals(0.95, iou[9], 0);
        double[] rec = Params.linspace(0, 1, 101);
        assertEquals(0.35000000000000003, rec[35], 0);
        assertEquals(1.0, rec[100], 0);
    }
}
