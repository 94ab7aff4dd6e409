package io.resdet.experiments;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's verdict says what the numbers show, including when residual nets degraded too or never started. */
class DegradationVerdictTest {
    private static List<ClassificationRun.Point> ending(double trainError) {
        return List.of(new ClassificationRun.Point(100, trainError, 1.0, trainError, 0.1, 1.0, new double[4], 10));
    }

    private static Map<String, List<ClassificationRun.Point>> curves(double p20, double p56, double r20, double r56) {
        return Map.of("plain_resnet20", ending(p20), "plain_resnet56", ending(p56), "resnet20", ending(r20), "resnet56", ending(r56));
    }

    @Test
    void thePapersResult() {
        String v = Degradation.verdict(List.of(20, 56), curves(0.10, 0.15, 0.09, 0.07), 10);
        assertTrue(v.contains("plain-56 ends with higher training error than plain-20 (15.00% vs 10.00%)"), v);
        assertTrue(v.contains("residual learning avoided it, as in the paper"), v);
        assertFalse(v.contains("chance"), v);
    }

    @Test
    void bothKindsWorseAndNetsThatNeverStartedAreNamed() {
        String v = Degradation.verdict(List.of(20, 56), curves(0.26, 0.88, 0.17, 0.90), 10);
        assertTrue(v.contains("does not show residual learning curing degradation"), v);
        assertTrue(v.contains("Never left chance level (90% error): plain-56, ResNet-56"), v);
    }

    @Test
    void residualNetsWorseByFarLessIsNotCalledACure() {
        String v = Degradation.verdict(List.of(20, 56), curves(0.0983, 0.2134, 0.0891, 0.1008), 10);
        assertTrue(v.contains("the plain nets by 11.51 points and the residual nets by 1.17"), v);
        assertTrue(v.contains("removed most of the degradation in this run, not all of it (the paper has ResNet-56 at or below ResNet-20)"), v);
        assertFalse(v.contains("as in the paper."), v);
    }

    @Test
    void noDegradation() {
        String v = Degradation.verdict(List.of(20, 56), curves(0.30, 0.20, 0.25, 0.15), 10);
        assertTrue(v.contains("No degradation at this scale"), v);
        assertTrue(v.contains("plain-56 ends with no higher training error"), v);
    }
}
