package io.workerrole.schedules.control;

import io.workerrole.schedules.entity.Firing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts schedules' firings by schedule and outcome (RAN, SKIPPED_OVERLAP, SKIPPED_FROZEN,
 * MISSED) and times how late they fired, for {@code /metrics}. Schedule names are few and set by
 * developers and admins, so they make fit labels.
 */
@ApplicationScoped
public class ScheduleMetrics {

    private static final Metadata FIRINGS = Metadata.builder().withName("schedule.firings")
            .withDescription("Firings of schedules recorded by this server, by schedule and outcome").build();
    private static final Metadata LATENESS = Metadata.builder().withName("schedule.lateness")
            .withDescription("How late a firing was recorded after the instant it was due").build();

    @Inject
    MetricRegistry registry;

    private final Map<String, Counter> firings = new ConcurrentHashMap<>();
    private volatile Timer lateness;

    /** This server recorded a firing (for missed firings, the one entry that stands for all of them). */
    public void recorded(Firing firing) {
        // Lateness first: a scrape that sees the firing counted then sees its lateness timed too.
        if (firing.recordedAt() != null && firing.scheduledFor() != null) {
            Duration late = Duration.between(firing.scheduledFor(), firing.recordedAt());
            lateness().update(late.isNegative() ? Duration.ZERO : late);
        }
        firings.computeIfAbsent(firing.scheduleName() + '\n' + firing.outcome(), k -> registry.counter(FIRINGS,
                new Tag("schedule", firing.scheduleName()), new Tag("outcome", firing.outcome().name()))).inc();
    }

    private Timer lateness() {
        Timer timer = lateness;
        if (timer == null) {
            lateness = timer = registry.timer(LATENESS);
        }
        return timer;
    }
}
