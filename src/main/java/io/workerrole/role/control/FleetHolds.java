package io.workerrole.role.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.StoreOutage;
import io.workerrole.role.entity.Hold;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The holds operators have put on the fleet, as this server last read them from the job store:
 * read again every {@link #REFRESH} (the role's supervisor asks at each tick, four times a
 * second), off the asking thread, so that a slow or absent database never holds up the
 * supervisor; until a read succeeds again, the last holds read stay in force. A hold's end is
 * checked against the clock at each question, so it lifts on time whatever the reads.
 * <p>
 * Before the first read (the role's start reads once, on its own thread) there are none; a
 * store whose schema predates the holds (a server of the next version migrates it) has none.
 */
@ApplicationScoped
public class FleetHolds {

    /**
     * How often the holds are read again (a key lookup of a table of a few rows): with the
     * supervisor's tick, a change applies within about half a second, which leaves half of the
     * promised second to a loaded machine (at 500 ms, a server under a load of 15 on 2 cores took
     * 1.25 s).
     */
    static final Duration REFRESH = Duration.ofMillis(250);
    private static final Logger LOG = Logger.getLogger(FleetHolds.class.getName());

    @Inject
    HoldStore store;

    @Inject
    Clock clock;

    @Resource
    ManagedExecutorService executor;

    private volatile List<Hold> holds = List.of();
    private volatile Instant readAt = Instant.MIN;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final StoreOutage outage = new StoreOutage(LOG, "the fleet's holds stay as last read");

    /** Reads the holds now, on the calling thread: once, before the role starts. */
    public void readNow() {
        read();
    }

    /** Reads the holds again off this thread, if the last read is older than {@link #REFRESH} and none is under way. */
    public void refreshIfDue() {
        if (Duration.between(readAt, clock.instant()).compareTo(REFRESH) < 0 || !reading.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    read();
                } finally {
                    reading.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            reading.set(false); // the server is stopping
        }
    }

    /** Takes a hold just set or lifted on this server into account at once, not at the next read. */
    public void changed() {
        readAt = Instant.MIN;
        refreshIfDue();
    }

    /** @return the hold on the whole fleet in force now, if any */
    public Optional<Hold> fleetHold() {
        Instant now = clock.instant();
        return holds.stream().filter(h -> h.fleet() && h.holdsAt(now)).findFirst();
    }

    /** @return the holds on job types in force now */
    public List<Hold> typeHolds() {
        Instant now = clock.instant();
        return holds.stream().filter(h -> !h.fleet() && h.holdsAt(now)).toList();
    }

    /** @return the job types held now */
    public Set<String> heldTypes() {
        return typeHolds().stream().map(Hold::scope).collect(Collectors.toUnmodifiableSet());
    }

    private void read() {
        try {
            holds = List.copyOf(store.all());
            outage.succeeded();
        } catch (SQLException e) {
            if (Database.isMissingTable(e)) {
                holds = List.of(); // a store of a version before the holds: none can have been set
            } else {
                outage.failed(e);
            }
        } catch (RuntimeException e) {
            outage.failed(e);
        } finally {
            readAt = clock.instant();
        }
    }
}
