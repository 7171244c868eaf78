package io.workerrole.platform;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecentReadingsTest {

    private final Map<String, String> config = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecentReadings readings = new RecentReadings(name -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(config.get(name));
    }, now::get);

    @Test
    void aReadingIsReusedWhileFreshAndReadAgainAfter() {
        config.put("worker.concurrency", "16");
        assertEquals(Optional.of("16"), readings.get("worker.concurrency"));

        config.put("worker.concurrency", "4");
        now.addAndGet(RecentReadings.FRESH.toNanos() - 1);
        assertEquals(Optional.of("16"), readings.get("worker.concurrency"));
        assertEquals(1, lookups.get());

        now.addAndGet(1);
        assertEquals(Optional.of("4"), readings.get("worker.concurrency"));
        assertEquals(2, lookups.get());
    }

    @Test
    void anUnsetSettingIsRememberedAsUnsetAndEachNameOnItsOwn() {
        assertEquals(Optional.empty(), readings.get("worker.freeze"));
        assertEquals(Optional.empty(), readings.get("worker.freeze"));
        config.put("worker.other", "x");
        assertEquals(Optional.of("x"), readings.get("worker.other"));

        assertEquals(2, lookups.get());
    }
}
