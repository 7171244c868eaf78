package io.workerrole.jobs.control.dispatch;

import io.workerrole.platform.ServerPresence;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One presence session of this server, held on a thread of its own from its start to its end:
 * takes the lock, then confirms the session at every look, until it fails or is asked to end.
 * A thread, and a unit of work, of its own: Liberty ties the physical connections a thread takes
 * to the thread's unit of work (its local transaction containment) until that ends, and a
 * keeper that held the session on its own thread, which never ends its unit of work, was handed
 * the broken connection again at every later request once the database had ended the session
 * (TakeoverIT saw it never come back). Here the session's unit of work ends with it, and the
 * next session is a new task. A look that hangs (a network that broke without closing the
 * connection) holds up this thread only; the keeper sees the session go stale
 * ({@link #confirmedSince}) and takes it for lost.
 */
final class PresenceHolder implements Runnable {

    private final ServerPresence presence;
    private final String serverId;
    private final Duration look;
    private final Clock clock;
    private final Runnable onHeld;
    /** Counted down to end the session: wakes the wait between two looks. */
    private final CountDownLatch endAsked = new CountDownLatch(1);
    /** Counted down once the session is over and its lock given up (or it was never had). */
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Instant confirmedAt;
    private volatile ServerPresence.Session session;
    private volatile Exception failure;
    private volatile UnsupportedOperationException unsupported;

    /** @param onHeld told once the lock is held */
    PresenceHolder(ServerPresence presence, String serverId, Duration look, Clock clock, Runnable onHeld) {
        this.presence = presence;
        this.serverId = serverId;
        this.look = look;
        this.clock = clock;
        this.onHeld = onHeld;
    }

    @Override
    public void run() {
        try {
            session = presence.hold(serverId);
            confirmedAt = clock.instant();
            onHeld.run();
            while (!endAsked.await(look.toNanos(), TimeUnit.NANOSECONDS)) {
                session.confirm();
                confirmedAt = clock.instant();
            }
        } catch (UnsupportedOperationException e) {
            unsupported = e;
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            confirmedAt = null;
            ServerPresence.Session held = session;
            if (held != null) {
                held.close();
            }
            done.countDown();
        }
    }

    /** @return whether the session holds the lock and answered at a look no earlier than {@code since} */
    boolean confirmedSince(Instant since) {
        Instant at = confirmedAt;
        return at != null && !at.isBefore(since) && done.getCount() > 0;
    }

    /** @return whether the session is over (it failed, was never had, or was asked to end) */
    boolean ended() {
        return done.getCount() == 0;
    }

    /** @return whether the lock was held on this session at some point */
    boolean held() {
        return session != null;
    }

    /** @return the backend whose session holds the lock, or -1 if none ever did */
    long backend() {
        ServerPresence.Session held = session;
        return held == null ? -1 : held.backend();
    }

    /** @return why the session ended or was never had (null if it was asked to end) */
    Exception failure() {
        return unsupported != null ? unsupported : failure;
    }

    /** @return the reason this server cannot hold a lock of its own (a pooler), or null */
    UnsupportedOperationException unsupported() {
        return unsupported;
    }

    /**
     * Ends the session and waits up to {@code wait} for its lock to be given up. A session whose
     * look hangs is aborted from here, which ends it on the database's side too.
     */
    void end(Duration wait) {
        endAsked.countDown();
        try {
            if (!done.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                ServerPresence.Session held = session;
                if (held != null) {
                    held.abort();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
