package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.control.ServerTypes;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.PostgresChannel;
import io.workerrole.platform.WorkerDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wakes the other servers sharing the job store when a job accepted here would wait: one queued
 * while this server has no free slot (or is frozen), or a delayed one accepted while it is
 * frozen, or either of a type this server does not run (a job for another role). They hear it over a PostgreSQL {@code LISTEN/NOTIFY} channel within milliseconds,
 * instead of at their next poll of the store (every 200 ms).
 *
 * <p>Only where the application sees the PostgreSQL driver's API (its class loader names the
 * drivers' library as a common library, see docs/operations.md); elsewhere, and on Derby, the poll alone
 * finds the jobs. Every server of one job store has the same configuration, so a server that
 * cannot listen does not send either.
 *
 * <p>Messages are coalesced: one send at a time, each telling what was asked for since the last
 * one ({@code now} for queued jobs; the due times of delayed ones, up to {@value #DUE_TIMES_PER_MESSAGE}
 * a message), so a burst costs a few sends, not one a job.
 */
@ApplicationScoped
@Named("peer-wakeups")
public class PeerWakeups implements BackgroundTask {

    private static final Logger LOG = Logger.getLogger(PeerWakeups.class.getName());
    private static final String CHANNEL = "worker_jobs";
    private static final String NOW = "now";
    /** Due times in one message: a message holds up to 8,000 bytes, a due time 14. */
    private static final int DUE_TIMES_PER_MESSAGE = 400;
    /** Due times waiting to be told, at most: beyond, the others' poll finds the jobs. */
    private static final int MAX_DUE_TIMES = 10_000;
    private static final Duration LISTEN_WAIT = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(5);

    @Inject
    WorkerDatabase database;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    ServerTypes types;

    @Resource
    ManagedExecutorService executor;

    /** Set by the listener once it listens: only then are wake-ups sent. */
    private volatile PostgresChannel channel;
    private final AtomicBoolean queuedToTell = new AtomicBoolean();
    private final ConcurrentSkipListSet<Long> dueToTell = new ConcurrentSkipListSet<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    /** A job of the type was queued here: others are told if it would wait here (or this server does not run its type). */
    public void queued(String type) {
        if (channel != null && !(dispatcher.wouldStartNow() && types.runs(type))) {
            queuedToTell.set(true);
            send();
        }
    }

    /** A delayed job of the type accepted here falls due then: others are told if this server would not run it. */
    public void dueAt(Instant due, String type) {
        if (channel != null && !(dispatcher.claiming() && types.runs(type))) {
            if (dueToTell.size() < MAX_DUE_TIMES) {
                dueToTell.add(toldAs(due));
            }
            send();
        }
    }

    /**
     * @return the due time as a message tells it: in milliseconds, rounded up. A server woken a
     *         little late finds the job due; one woken early (toEpochMilli rounds down, and the
     *         job store keeps the time to the microsecond) would find the job still ahead, forget
     *         the time, and leave the job to its next poll.
     */
    static long toldAs(Instant due) {
        long millis = due.toEpochMilli();
        return due.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }

    private void send() {
        if (sending.compareAndSet(false, true)) {
            executor.execute(this::sendAll);
        }
    }

    private void sendAll() {
        PostgresChannel channel = this.channel;
        try {
            if (channel == null) { // the listener stopped: the others' poll finds the jobs
                queuedToTell.set(false);
                dueToTell.clear();
                return;
            }
            while (true) {
                boolean queued = queuedToTell.getAndSet(false);
                List<String> dues = new ArrayList<>();
                for (Long due; dues.size() < DUE_TIMES_PER_MESSAGE && (due = dueToTell.pollFirst()) != null; ) {
                    dues.add(Long.toString(due));
                }
                if (!queued && dues.isEmpty()) {
                    break;
                }
                if (queued) {
                    channel.send(NOW);
                }
                if (!dues.isEmpty()) {
                    channel.send(String.join(",", dues));
                }
            }
        } catch (SQLException | RuntimeException e) {
            // The others find the jobs at their next poll; nothing is lost.
            LOG.log(Level.FINE, "Could not wake the other servers", e);
        } finally {
            sending.set(false);
        }
        if (queuedToTell.get() || !dueToTell.isEmpty()) {
            send(); // asked for while this send was ending
        }
    }

    /** Not held by a freeze: a frozen server accepts jobs still, and must tell the others of them. */
    @Override
    public boolean holdWhileFrozen() {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        if (!usable()) {
            return;
        }
        PostgresChannel wakeups = new PostgresChannel(database.dataSource(), CHANNEL);
        do {
            try (PostgresChannel.Listener listener = wakeups.listen()) {
                channel = wakeups;
                LOG.info(() -> "Wake-ups across servers: on, over the job store's channel " + CHANNEL);
                while (!context.stopRequested()) {
                    listener.next(LISTEN_WAIT).forEach(this::heard);
                }
            } catch (UnsupportedOperationException e) {
                LOG.info(() -> "Wake-ups across servers: off, as " + e.getMessage() + "; other servers find jobs accepted here at their"
                        + " next poll of the job store");
                return;
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Wake-ups across servers: the channel failed (other servers' jobs are found by the poll"
                        + " meanwhile); listening again in " + RETRY.toSeconds() + " s", e);
            } finally {
                channel = null;
            }
        } while (!context.awaitStop(RETRY));
    }

    private void heard(String message) {
        if (NOW.equals(message)) {
            dispatcher.wake();
        } else {
            try {
                for (String due : message.split(",")) {
                    dispatcher.dueAt(Instant.ofEpochMilli(Long.parseLong(due)));
                }
            } catch (NumberFormatException e) {
                LOG.fine(() -> "Not a wake-up: " + message);
            }
        }
    }

    /** @return whether this server can listen: a PostgreSQL job store whose driver the application sees */
    private boolean usable() {
        try {
            if (database.dialect() != Dialect.POSTGRESQL) {
                return false;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not tell the job store's database; no wake-ups across servers", e);
            return false;
        }
        try {
            Class.forName(PostgresChannel.DRIVER_API, false, PeerWakeups.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.info(() -> "Wake-ups across servers: off, as the application does not see the PostgreSQL driver;"
                    + " other servers find jobs accepted here at their next poll of the job store (see docs/operations.md, \"Several servers on one PostgreSQL\")");
            return false;
        }
    }
}
