package io.workerrole.jobs.control;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FleetLimitSettingsTest {

    @Test
    void theLimitedTypesAreThoseAConcurrencyOrARateNames() {
        assertEquals(Set.of("partner-api", "mail", "image.resize"), JobSettings.limitedTypes(List.of(
                "worker.concurrency.thumbnail", "worker.limits.partner-api.concurrency", "worker.limits.partner-api.perSecond",
                "worker.limits.mail.perSecond", "worker.limits.image.resize.concurrency", "worker.limits..concurrency",
                "worker.limits.other.burst", "worker.limitsx.y.concurrency")));
    }

    @Test
    void aRateIsADecimalWithinItsBounds() {
        assertEquals(0.5, JobSettings.parsePerSecond("0.5"));
        assertEquals(20.0, JobSettings.parsePerSecond("20"));
        for (String bad : List.of("0", "-1", "NaN", "Infinity", "100001", "0.0001", "fast")) {
            assertThrows(IllegalArgumentException.class, () -> JobSettings.parsePerSecond(bad), bad);
        }
    }
}
