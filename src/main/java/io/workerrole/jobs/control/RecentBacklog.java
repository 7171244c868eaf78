package io.workerrole.jobs.control;

import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.platform.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The job store's backlog by state and type for the gauges at {@code /metrics}, read at most once
 * every {@link #FRESH}, whatever the number of gauges, types and scrapers: one grouped query
 * ({@link JobQueries#backlogByType}) serves every gauge of a scrape, never one query per gauge.
 * Each fresh read is also fired as an event, so that the gauges of a type seen for the first time
 * are registered.
 */
@ApplicationScoped
public class RecentBacklog {

    /** How old a read may be when a gauge asks: a scrape's gauges all see the same one. */
    public static final Duration FRESH = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(RecentBacklog.class.getName());

    @Inject
    JobQueries queries;

    @Inject
    Clock clock;

    @Inject
    Event<BacklogByType> reads;

    private BacklogByType backlog;
    private Instant readAt = Instant.MIN;

    /** @return the backlog as of at most {@link #FRESH} ago, or empty if the store cannot be read (the gauges show NaN, not an empty queue) */
    public Optional<BacklogByType> read() {
        BacklogByType fresh;
        synchronized (this) {
            Instant now = clock.instant();
            if (!now.isAfter(readAt.plus(FRESH)) && !now.isBefore(readAt)) {
                return Optional.ofNullable(backlog);
            }
            readAt = now;
            try {
                backlog = queries.backlogByType(0);
            } catch (StoreException e) {
                LOG.log(Level.FINE, "Could not read the backlog for the metrics", e);
                backlog = null;
            }
            fresh = backlog;
        }
        // Outside the lock: an observer may ask for the backlog again.
        if (fresh != null) {
            reads.fire(fresh);
        }
        return Optional.ofNullable(fresh);
    }
}
