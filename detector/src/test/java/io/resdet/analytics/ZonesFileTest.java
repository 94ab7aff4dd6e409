package io.resdet.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Zones}: reading zones files, stream fallback, normalized coordinates, and every refusal as one exact line. */
class ZonesFileTest {
    @TempDir Path tmp;

    private static final String EXAMPLE = """
            {"streams": {
               "*":     {"zones": [{"name": "door", "polygon": [[40, 200], [200, 200], [200, 300], [40, 300]]}],
                         "lines": [{"name": "gate", "from": [0, 360], "to": [640, 360]}]},
               "cam-2": {"normalized": true, "anchor": "center",
                         "zones": [{"name": "bay", "polygon": [[0.1, 0.5], [0.6, 0.5], [0.35, 0.9]]}]},
               "cam-3": {}}}
            """;

    @Test
    void readsZonesLinesAndFallsBackToTheStar() throws Exception {
        Path f = tmp.resolve("zones.json");
        Files.writeString(f, EXAMPLE);
        Zones z = Zones.read(f);
        assertEquals(List.of("*", "cam-2", "cam-3"), List.copyOf(z.streams().keySet()));
        Zones.StreamZones any = z.forStream("cam-9");
        assertSame(z.streams().get("*"), any, "a stream without its own entry gets \"*\"");
        assertEquals("door", any.zones().get(0).name());
        assertArrayEquals(new double[] {200, 300}, any.zones().get(0).polygon()[2]);
        assertEquals("gate", any.lines().get(0).name());
        assertArrayEquals(new double[] {640, 360}, any.lines().get(0).to());
        assertFalse(any.normalized());
        assertEquals(Anchor.BOTTOM_CENTER, any.anchor());
        Zones.StreamZones cam2 = z.forStream("cam-2");
        assertTrue(cam2.normalized());
        assertEquals(Anchor.CENTER, cam2.anchor());
        assertTrue(z.forStream("cam-3").isEmpty(), "an empty entry switches a stream off");
        Zones noStar = Zones.parse("z", "{\"streams\": {\"a\": {}}}");
        assertSame(Zones.StreamZones.NONE, noStar.forStream("b"));
    }

    @Test
    void normalizedCoordinatesResolvePerFrameSize() {
        Zones.StreamZones cam2 = Zones.parse("z", EXAMPLE).forStream("cam-2");
        Zones.StreamZones px = cam2.resolve(640, 480);
        assertFalse(px.normalized());
        assertArrayEquals(new double[] {64, 240}, px.zones().get(0).polygon()[0]);
        assertArrayEquals(new double[] {384, 240}, px.zones().get(0).polygon()[1]);
        assertArrayEquals(new double[] {224, 432}, px.zones().get(0).polygon()[2]);
        Zones.StreamZones small = cam2.resolve(320, 240);
        assertArrayEquals(new double[] {112, 216}, small.zones().get(0).polygon()[2]);
        Zones.StreamZones pixels = Zones.parse("z", EXAMPLE).forStream("x");
        assertSame(pixels, pixels.resolve(1920, 1080), "pixel zones do not depend on the frame size");
    }

    private static String stream(String body) {
        return "{\"streams\": {\"cam-2\": " + body + "}}";
    }

    private static void refuses(String json, String message) {
        ZonesException e = assertThrows(ZonesException.class, () -> Zones.parse("zones.json", json));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void refusesBadShapesWithThePath() {
        refuses(stream("{\"zones\": [{\"name\": \"door\", \"polygon\": [[0, 0], [10, 10]]}]}"),
                "zones.json: streams.cam-2.zones[0].polygon: needs at least 3 points, got 2");
        refuses(stream("{\"zones\": [{\"name\": \"door\", \"polygon\": [[0, 0], [5, 5], [10, 10]]}]}"),
                "zones.json: streams.cam-2.zones[0].polygon: has no area (all points on one line)");
        refuses(stream("{\"zones\": [{\"name\": \"door\", \"polygon\": [[0, 0], [5, 5, 1], [10, 0]]}]}"),
                "zones.json: streams.cam-2.zones[0].polygon[1]: expected a point [x, y], got [5,5,1]");
        refuses(stream("{\"zones\": [{\"name\": \"door\"}]}"), "zones.json: streams.cam-2.zones[0].polygon: missing");
        refuses(stream("{\"lines\": [{\"name\": \"gate\", \"from\": [3, 4], \"to\": [3, 4]}]}"),
                "zones.json: streams.cam-2.lines[0]: from and to are the same point: a line needs a length");
        refuses(stream("{\"lines\": [{\"name\": \"gate\", \"from\": [3, 4]}]}"), "zones.json: streams.cam-2.lines[0].to: missing");
    }

    @Test
    void refusesBadNumbersNamesAndFields() {
        refuses(stream("{\"lines\": [{\"name\": \"gate\", \"from\": [0, 1e999], \"to\": [3, 4]}]}"),
                "zones.json: streams.cam-2.lines[0].from[1]: not a finite number");
        refuses(stream("{\"lines\": [{\"name\": \"gate\", \"from\": [0, \"1\"], \"to\": [3, 4]}]}"),
                "zones.json: streams.cam-2.lines[0].from[1]: expected a number, got \"1\"");
        refuses(stream("{\"normalized\": true, \"lines\": [{\"name\": \"gate\", \"from\": [0, 0.5], \"to\": [640, 0.5]}]}"),
                "zones.json: streams.cam-2.lines[0].to[0]: normalized coordinates are fractions 0..1 of the frame, got 640");
        refuses(stream("{\"zones\": [{\"name\": \"door\", \"polygon\": [[0, 0], [10, 0], [0, 10]]}],"
                        + " \"lines\": [{\"name\": \"door\", \"from\": [0, 5], \"to\": [9, 5]}]}"),
                "zones.json: streams.cam-2.lines[0].name: duplicate name 'door' (names are unique among a stream's zones and lines)");
        refuses(stream("{\"zones\": [{\"name\": \" \", \"polygon\": [[0, 0], [10, 0], [0, 10]]}]}"),
                "zones.json: streams.cam-2.zones[0].name: expected a non-empty string, got \" \"");
        refuses(stream("{\"zones\": [{\"name\": \"door\", \"polygons\": []}]}"),
                "zones.json: streams.cam-2.zones[0]: unknown field 'polygons' (expected name, polygon)");
        refuses(stream("{\"anchor\": \"feet\"}"), "zones.json: streams.cam-2.anchor: expected \"bottom_center\" or \"center\", got \"feet\"");
        refuses(stream("{\"normalized\": \"yes\"}"), "zones.json: streams.cam-2.normalized: expected true or false, got \"yes\"");
        refuses(stream("{\"zones\": {}}"), "zones.json: streams.cam-2.zones: expected an array");
        refuses(stream("[]"), "zones.json: streams.cam-2: expected an object with \"zones\" and/or \"lines\"");
    }

    @Test
    void refusesBadDocuments() {
        refuses("{\"zones\": []}", "zones.json: unknown field 'zones' (expected streams)");
        refuses("{}", "zones.json: streams: missing");
        refuses("{\"streams\": {}}", "zones.json: streams: expected an object with at least one stream id (\"*\": every stream)");
        refuses("[1]", "zones.json: expected an object {\"streams\": {STREAM_ID: {\"zones\": [...], \"lines\": [...]}}}");
        refuses("{\"streams\": {\"a\": {}, \"a\": {}}}", "zones.json: not valid JSON at line 1, column 26 (Duplicate field 'a')");
        refuses("{\"streams\": {\"a\": {]}}", "zones.json: not valid JSON at line 1, column 20"
                + " (Unexpected close marker ']': expected '}')");
    }

    @Test
    void unreadableFileIsOneLine() {
        Path missing = tmp.resolve("nope.json");
        ZonesException e = assertThrows(ZonesException.class, () -> Zones.read(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read zones ("), e.getMessage());
    }
}
