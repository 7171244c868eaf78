package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.QueueFigures;
import io.workerrole.platform.StoreException;
import io.workerrole.testing.MutableClock;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gauges' backlog: one query however often they ask within {@link RecentBacklog#FRESH}, nothing while the store fails. */
class RecentBacklogTest {

    private final MutableClock clock = new MutableClock();
    private final CountingQueries queries = new CountingQueries();
    private final List<BacklogByType> fired = new ArrayList<>();
    private final RecentBacklog recent = new RecentBacklog();

    @BeforeEach
    void wire() {
        recent.queries = queries;
        recent.clock = clock;
        recent.reads = new RecordingEvent(fired);
    }

    @Test
    void manyGaugesWithinTheFreshTimeShareOneQueryAndOneEvent() {
        for (int i = 0; i < 100; i++) {
            assertEquals(3, recent.read().orElseThrow().of("echo").queued());
        }
        clock.advance(RecentBacklog.FRESH);
        recent.read();

        assertEquals(1, queries.reads, "a hundred gauges, one query");
        assertEquals(1, fired.size(), "the gauges of new types are registered once per read");
        clock.advance(Duration.ofMillis(1));
        recent.read();
        assertEquals(2, queries.reads, "older than FRESH: read again");
        assertEquals(2, fired.size());
    }

    @Test
    void aStoreThatCannotBeReadGivesNothingAndIsTriedAgainLater() {
        queries.failing = true;
        assertTrue(recent.read().isEmpty(), "no figures rather than an empty queue");
        assertTrue(recent.read().isEmpty());
        assertEquals(1, queries.reads);
        assertEquals(0, fired.size());

        queries.failing = false;
        clock.advance(RecentBacklog.FRESH.plusMillis(1));
        assertEquals(3, recent.read().orElseThrow().of("echo").queued());
    }

    @Test
    void aClockThatWentBackReadsAgain() {
        recent.read();
        clock.advance(Duration.ofSeconds(-10));
        recent.read();
        assertEquals(2, queries.reads);
    }

    private static final class CountingQueries extends JobQueries {
        int reads;
        boolean failing;

        @Override
        public BacklogByType backlogByType(int queuesShown) {
            reads++;
            if (failing) {
                throw new StoreException("down", new java.sql.SQLException("connection refused"));
            }
            return new BacklogByType(new Backlog(Map.of(JobState.QUEUED, 3L), null), List.of(),
                    Map.of("echo", new QueueFigures(3, 0, 0, null)));
        }
    }

    private record RecordingEvent(List<BacklogByType> fired) implements Event<BacklogByType> {
        @Override
        public void fire(BacklogByType event) {
            fired.add(event);
        }

        @Override
        public <U extends BacklogByType> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends BacklogByType> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<BacklogByType> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends BacklogByType> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends BacklogByType> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
