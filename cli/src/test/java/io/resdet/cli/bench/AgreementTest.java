package io.resdet.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgreementTest {
    private static OnnxRuntimePeer.Detections dets(float[][] boxes, float[] scores, long[] labels) {
        return new OnnxRuntimePeer.Detections(boxes, scores, labels);
    }

    @Test
    void sameDetectionsInAnotherOrderAgree() {
        var a = dets(new float[][] {{0, 0, 10, 10}, {20, 20, 40, 30}}, new float[] {0.9f, 0.5f}, new long[] {1, 2});
        var b = dets(new float[][] {{20, 20, 40, 30.01f}, {0, 0, 10, 10}}, new float[] {0.501f, 0.9f}, new long[] {2, 1});
        String s = Agreement.describe(List.of(a), List.of(b));
        assertTrue(s.startsWith("ONNX Runtime's 2 detections: 2 found in resdet's 2 (same label, IoU ≥ 0.99, |Δscore| ≤ 0.01; worst |Δscore| 1.0e-03)"), s);
        assertTrue(!s.contains("WARNING"), s);
    }

    @Test
    void anotherLabelOrBoxOrScoreIsNotFoundAndWarns() {
        var a = dets(new float[][] {{0, 0, 10, 10}, {20, 20, 40, 30}, {50, 50, 60, 60}}, new float[] {0.9f, 0.5f, 0.4f}, new long[] {1, 2, 3});
        var b = dets(new float[][] {{0, 0, 10, 10}, {20, 20, 40, 35}, {50, 50, 60, 60}}, new float[] {0.9f, 0.5f, 0.2f}, new long[] {4, 2, 3});
        String s = Agreement.describe(List.of(a), List.of(b));
        assertTrue(s.startsWith("ONNX Runtime's 3 detections: 0 found"), s);
        assertTrue(s.endsWith("WARNING: the two sides disagree; the ratio compares different work"), s);
    }

    @Test
    void iou() {
        assertEquals(1.0, Agreement.iou(new float[] {0, 0, 2, 2}, new float[] {0, 0, 2, 2}), 1e-12);
        assertEquals(1.0 / 7, Agreement.iou(new float[] {0, 0, 2, 2}, new float[] {1, 1, 3, 3}), 1e-12);
        assertEquals(0.0, Agreement.iou(new float[] {0, 0, 1, 1}, new float[] {2, 2, 3, 3}), 0);
    }
}
