package io.workerrole.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Each setting's raw value as last read, reused for a short while. Settings are read for every
 * job, several of them, and a MicroProfile Config lookup walks every config source (mapping the
 * name to an environment variable's on the way): a twentieth of a burst's CPU in a profile. An
 * admin's edit still takes effect within about a second: Liberty notices a changed server.xml
 * within its monitor interval (500 ms), and a reading is reused for at most {@link #FRESH}.
 */
final class RecentReadings {

    /** How long a reading is reused. */
    static final Duration FRESH = Duration.ofMillis(200);

    private final Function<String, Optional<String>> source;
    private final LongSupplier nanoTime;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    private record Reading(Optional<String> raw, long at) {
    }

    /**
     * @param source reads a setting's raw value now
     * @param nanoTime the clock, {@code System::nanoTime} but in tests
     */
    RecentReadings(Function<String, Optional<String>> source, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
    }

    /** @return the setting's raw value, read at most {@link #FRESH} ago */
    Optional<String> get(String name) {
        long now = nanoTime.getAsLong();
        Reading last = readings.get(name);
        if (last != null && now - last.at() < FRESH.toNanos()) {
            return last.raw();
        }
        Optional<String> raw = source.apply(name);
        readings.put(name, new Reading(raw, now));
        return raw;
    }
}
