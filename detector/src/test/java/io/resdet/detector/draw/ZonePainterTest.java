package io.resdet.detector.draw;

import io.resdet.analytics.Anchor;
import io.resdet.analytics.ZoneCounts;
import io.resdet.analytics.Zones;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ZonePainter} on a black frame: the zone tinted, the line solid, the arrow on the "in" side, the trail in the track's colour. */
class ZonePainterTest {
    private static Color at(BufferedImage b, int x, int y) {
        return new Color(b.getRGB(x, y));
    }

    @Test
    void paintsZonesLinesArrowsAndTrails() {
        BufferedImage b = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        Zones.StreamZones z = new Zones.StreamZones(
                List.of(new Zones.Zone("door", new double[][] {{200, 20}, {300, 20}, {300, 100}, {200, 100}})),
                List.of(new Zones.Line("gate", new double[] {20, 160}, new double[] {180, 160})), false, Anchor.BOTTOM_CENTER);
        ZonePainter.paint(b, z, Map.of("door", 2), new ZoneCounts(Map.of("gate", new ZoneCounts.LineCount(3, 1)), Map.of()),
                Map.of(5, List.of(new double[] {40, 200}, new double[] {80, 200}, new double[] {120, 200})));
        // Zone interior: the first zone colour (0, 190, 255) at 22 % over black.
        Color inside = at(b, 260, 80);
        assertEquals(0, inside.getRed(), 1);
        assertEquals(Math.round(190 * 0.22f), inside.getGreen(), 2);
        assertEquals(Math.round(255 * 0.22f), inside.getBlue(), 2);
        assertEquals(Color.BLACK, at(b, 150, 60), "outside everything");
        assertEquals(new Color(255, 225, 0), at(b, 150, 160), "on the line");
        // The arrow leaves the midpoint (100, 160) downwards: the right of a left-to-right line, where "in" goes.
        assertEquals(new Color(255, 225, 0), at(b, 100, 168));
        assertEquals(new Color(255, 225, 0), at(b, 100, 172));
        assertEquals(Color.BLACK, at(b, 160, 150), "nothing above the line right of its tag");
        Color track = DetectionPainter.colour(5), last = at(b, 120, 200);
        assertEquals(track.getRed(), last.getRed(), 2);
        assertEquals(track.getGreen(), last.getGreen(), 2);
        assertEquals(track.getBlue(), last.getBlue(), 2);
        Color old = at(b, 45, 200);
        assertTrue(old.getRed() + old.getGreen() + old.getBlue() < track.getRed() + track.getGreen() + track.getBlue(), "older trail fainter");
        // Tags: the zone's at its top-left corner, the line's above its from end (the side away from the arrow).
        assertTrue(at(b, 203, 23).getBlue() > 200, "zone tag background");
        assertTrue(at(b, 22, 150).getRed() > 200, "line tag background");
        assertEquals(Color.BLACK, at(b, 22, 170), "nothing below the line's from end");
    }
}
