package io.workerrole.platform;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This server's claim to one named {@link ClusterLease}, for work that must run on at most one
 * server of those sharing the job store at a time (a singleton background task). One thread
 * calls {@link #keep} every fraction of a second; it takes the lease when it is free or has
 * lapsed, renews it every third of the lease, and gives it up when the work is no longer wanted
 * here. Any thread asks {@link #holds()}, without touching the database, whether the work may run
 * here now.
 * <p>
 * The guarantee is a matter of time, counted from the start of the last renewal that succeeded:
 * {@link #holds()} turns false half a lease after it, the work then has {@link #stopWithin()} (a
 * quarter lease) to stop, and another server can take the lease over only a whole lease after it
 * (the row's {@code lease_until}). The last quarter is the margin: for the servers' clocks to
 * differ by (a lease's end is judged by the clock of the server that takes it over) and for a
 * stopped piece of work to let go. A renewal that hangs past half a lease counts for nothing, so
 * neither a database outage nor a stalled call can keep {@link #holds()} true.
 */
public final class Leadership {

    /** How soon an attempt that failed on an error (the database is unreachable) is made again. */
    static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(Leadership.class.getName());

    private final ClusterLease leases;
    private final String name;
    private final String holder;
    private final Clock clock;

    /** Before this instant the work may run here; read by any thread. */
    private volatile Instant holdsUntil = Instant.MIN;
    /** The lease's duration at the last attempt, for {@link #stopWithin()}. */
    private volatile Duration lease = Duration.ZERO;
    /** Whether the row may be this server's, so that giving it up is worth a statement. */
    private boolean taken;
    private Instant nextAttemptAt = Instant.MIN;
    private boolean failing;
    /** The last answer of the store: held (true) or held by another server (false); null before the first. */
    private Boolean lastAnswer;
    private boolean closed;

    /**
     * @param name the lease's name in the job store, unique among the pieces of work that use leases
     * @param holder this server's id, as the job store records it ({@code worker.serverId})
     */
    public Leadership(ClusterLease leases, String name, String holder, Clock clock) {
        this.leases = leases;
        this.name = name;
        this.holder = holder;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** @return whether the work may run on this server now */
    public boolean holds() {
        return clock.instant().isBefore(holdsUntil);
    }

    /**
     * @return how long work may still go on once {@link #holds()} has turned false, before another
     *         server might start it: a quarter of the lease
     */
    public Duration stopWithin() {
        return lease.dividedBy(4);
    }

    /**
     * One step, made often (every quarter second): while the work is wanted here, takes or
     * renews the lease when an attempt is due (every third of {@code lease}, and a second after
     * an attempt that failed on an error); once it is no longer wanted, gives the lease up. The
     * caller must want it for as long as the work runs here: giving it up lets another server
     * start the work at once.
     *
     * @param wanted whether the work runs, or should run, on this server
     * @param lease how long a taken or renewed lease lasts
     */
    public synchronized void keep(boolean wanted, Duration lease) {
        if (closed) {
            return;
        }
        if (!wanted) {
            giveUp();
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextAttemptAt)) {
            return;
        }
        this.lease = lease;
        try {
            boolean holdsNow = leases.hold(name, holder, lease);
            taken = holdsNow;
            holdsUntil = holdsNow ? now.plus(lease.dividedBy(2)) : Instant.MIN;
            nextAttemptAt = now.plus(lease.dividedBy(3));
            if (lastAnswer == null || lastAnswer != holdsNow) {
                LOG.info(() -> holdsNow ? "Holding the lease " + name + " for " + lease + ", renewed every third of it"
                        : "Standing by: another server holds the lease " + name);
            }
            lastAnswer = holdsNow;
            failing = false;
        } catch (SQLException | StoreException e) {
            taken = true; // the statement may have taken it before the answer was lost
            Duration retry = RETRY.compareTo(lease.dividedBy(6)) < 0 ? RETRY : lease.dividedBy(6);
            nextAttemptAt = now.plus(retry);
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Cannot take or renew the lease " + name + ", trying again every " + retry
                        + "; work under it stops half a lease after its last renewal", e);
            }
        }
    }

    /**
     * Gives the lease up for good, once the work has stopped here (the server stops): another
     * server may take it at once, and this one no longer takes or renews it.
     */
    public synchronized void close() {
        giveUp();
        closed = true;
    }

    private void giveUp() {
        holdsUntil = Instant.MIN;
        nextAttemptAt = Instant.MIN;
        if (!taken) {
            return;
        }
        taken = false;
        lastAnswer = null;
        try {
            if (leases.release(name, holder)) {
                LOG.info(() -> "Gave up the lease " + name);
            }
        } catch (SQLException | StoreException e) {
            LOG.log(Level.FINE, "Could not give up the lease " + name + "; it lapses by itself", e);
        }
    }
}
