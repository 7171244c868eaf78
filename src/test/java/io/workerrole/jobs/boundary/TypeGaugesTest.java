package io.workerrole.jobs.boundary;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.RecentBacklog;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.QueueFigures;
import io.workerrole.testing.MutableClock;
import io.workerrole.testing.RecordingMetricRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-type gauges against a registry that records what is registered: which types get them,
 * what they read, and that a broken store reads NaN.
 */
class TypeGaugesTest {

    private final MutableClock clock = new MutableClock();
    private final StubBacklog recent = new StubBacklog();
    private final StubHandlers handlers = new StubHandlers();
    private final RecordingMetricRegistry gauges = new RecordingMetricRegistry();
    private final TypeGauges typeGauges = new TypeGauges();

    @BeforeEach
    void wire() {
        typeGauges.registry = gauges.registry();
        typeGauges.recent = recent;
        typeGauges.handlers = handlers;
        typeGauges.clock = clock;
    }

    @Test
    void aTypeThisServerRunsReadsZeroWithoutJobs() {
        handlers.types.add("echo");
        recent.backlog = backlog(Map.of());
        typeGauges.register(null);

        assertEquals(Map.of("job.type.queued{type=echo}", 0.0, "job.type.delayed{type=echo}", 0.0,
                "job.type.running{type=echo}", 0.0, "job.type.oldest.age{type=echo}", 0.0), gauges.values());
    }

    @Test
    void aTypeWithWorkInTheStoreGetsItsGaugesAtTheNextReadWithItsFigures() {
        handlers.types.add("echo");
        typeGauges.register(null);
        BacklogByType read = backlog(Map.of("thumbnail", new QueueFigures(7, 2, 3, clock.instant().minusSeconds(90))));
        recent.backlog = read;
        clock.advance(Duration.ofMillis(500));

        typeGauges.typesSeen(read);

        assertEquals(7.0, gauges.value("job.type.queued{type=thumbnail}"));
        assertEquals(2.0, gauges.value("job.type.delayed{type=thumbnail}"));
        assertEquals(3.0, gauges.value("job.type.running{type=thumbnail}"));
        assertEquals(90.5, gauges.value("job.type.oldest.age{type=thumbnail}"), "the oldest queued job's wait, at the clock's now");
        assertEquals(0.0, gauges.value("job.type.queued{type=echo}"));
        assertEquals(8, gauges.names().size(), "four gauges for each of two types");
    }

    @Test
    void thePrometheusNamesAreTheRegisteredOnesWithUnderscoresAndASecondsUnitAfterTheName() {
        assertEquals(List.of("job_type_queued", "job_type_delayed", "job_type_running", "job_type_oldest_age_seconds"),
                TypeGauges.prometheusNames());
    }

    @Test
    void eachTypeIsRegisteredOnce() {
        handlers.types.add("echo");
        recent.backlog = backlog(Map.of("echo", new QueueFigures(1, 0, 0, clock.instant())));
        typeGauges.register(null);
        typeGauges.typesSeen(recent.backlog);
        typeGauges.typesSeen(recent.backlog);
        assertEquals(4, gauges.names().size());
        // the registry would have thrown on a second registration of the same gauge (the recorder does)
    }

    @Test
    void aStoreThatCannotBeReadShowsNaNNotAnEmptyQueue() {
        handlers.types.add("echo");
        recent.backlog = null;
        typeGauges.register(null);
        assertTrue(gauges.values().values().stream().allMatch(v -> Double.isNaN(v)), gauges.values().toString());
    }

    @Test
    void theNumberOfLabelledTypesIsBounded() {
        TreeMap<String, QueueFigures> many = new TreeMap<>();
        IntStream.range(0, TypeGauges.MAX_TYPES + 10).forEach(i -> many.put("t" + i, new QueueFigures(1, 0, 0, clock.instant())));
        BacklogByType read = backlog(many);
        recent.backlog = read;
        typeGauges.typesSeen(read);
        assertEquals(4 * TypeGauges.MAX_TYPES, gauges.names().size());
        assertFalse(gauges.names().contains("job.type.queued{type=" + many.lastKey() + "}"), "the types past the bound, in name order");
    }

    @Test
    void aRoleIsTheSumOfItsTypesAndItsOldestJob() {
        BacklogByType read = backlog(Map.of(
                "resize", new QueueFigures(4, 1, 2, clock.instant().minusSeconds(30)),
                "thumbnail", new QueueFigures(6, 0, 2, clock.instant().minusSeconds(50)),
                "echo", new QueueFigures(100, 0, 0, clock.instant().minusSeconds(500))));
        assertEquals(new QueueFigures(10, 1, 4, clock.instant().minusSeconds(50)), read.of(List.of("resize", "thumbnail", "absent")));
        assertEquals(QueueFigures.NONE, read.of(List.of()));
    }

    private static BacklogByType backlog(Map<String, QueueFigures> types) {
        return new BacklogByType(new Backlog(Map.of(JobState.QUEUED, types.values().stream().mapToLong(QueueFigures::queued).sum()), null),
                List.of(), types);
    }

    private static final class StubBacklog extends RecentBacklog {
        BacklogByType backlog;

        @Override
        public Optional<BacklogByType> read() {
            return Optional.ofNullable(backlog);
        }
    }

    private static final class StubHandlers extends HandlerRegistry {
        final SortedSet<String> types = new TreeSet<>();

        @Override
        public SortedSet<String> types() {
            return types;
        }
    }
}
