package io.resdet.analytics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.resdet.analytics.ZoneFixtures.at;
import static io.resdet.analytics.ZoneFixtures.line;
import static io.resdet.analytics.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link AnalyticsJson}: what results carry, as text. */
class ZoneResultJsonTest {
    @Test
    void occupancyEventsAndCountsAsDocumented() {
        ZoneAnalytics a = new ZoneAnalytics(ZoneFixtures.stream(List.of(zone("door", 0, 0, 100, 0, 100, 100, 0, 100)),
                List.of(line("gate", 0, 50, 320, 50))), 30);
        a.update(4, 133, 320, 240, List.of(at(3, 50, 40)));
        FrameAnalytics f = a.update(5, 166, 320, 240, List.of(at(3, 50, 120)));
        assertEquals("{\"door\":0}", AnalyticsJson.occupancy(f).toString());
        assertEquals("[{\"event\":\"exit\",\"zone\":\"door\",\"reason\":\"moved\",\"track_id\":3,\"label\":1,\"name\":\"circle\",\"frame\":5,\"timestamp_ms\":166},"
                        + "{\"event\":\"cross\",\"line\":\"gate\",\"direction\":\"in\",\"track_id\":3,\"label\":1,\"name\":\"circle\",\"frame\":5,\"timestamp_ms\":166}]",
                AnalyticsJson.events(f.events(), l -> l == 1 ? "circle" : null).toString());
        assertEquals("{\"event\":\"exit\",\"zone\":\"door\",\"reason\":\"moved\",\"track_id\":3,\"label\":1,\"frame\":5,\"timestamp_ms\":166}",
                AnalyticsJson.event(f.events().get(0), null).toString(), "no class names: no \"name\"");
        assertEquals("{\"lines\":{\"gate\":{\"in\":1,\"out\":0}},\"zones\":{\"door\":{\"entries\":1,\"exits\":1}}}",
                AnalyticsJson.counts(a.counts()).toString());
    }
}
