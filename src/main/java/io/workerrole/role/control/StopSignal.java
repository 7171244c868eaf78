package io.workerrole.role.control;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A flag that waiting threads can sleep on and that wakes them when raised. Raised for good
 * ({@link #raise()}, the worker stopping) it stays raised; raised for now
 * ({@link #raiseForNow()}, a freeze) it can be lowered again until it is raised for good.
 */
public final class StopSignal {

    private static final Logger LOG = Logger.getLogger(StopSignal.class.getName());

    private boolean raised;
    private boolean forGood;
    /** Counts the raises, so that a waiter sees a raise even if the flag was lowered before it woke. */
    private long raises;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Raises the flag for good: {@link #lower()} has no effect after this. */
    public void raise() {
        boolean changed;
        synchronized (this) {
            forGood = true;
            changed = setRaised(true);
        }
        if (changed) {
            notifyListeners();
        }
    }

    /** Raises the flag until {@link #lower()} (or for good, if {@link #raise()} follows). */
    public void raiseForNow() {
        boolean changed;
        synchronized (this) {
            changed = setRaised(true);
        }
        if (changed) {
            notifyListeners();
        }
    }

    /**
     * Lowers a flag raised for now.
     *
     * @return true if it was raised and is now lowered; false if it was not raised, or raised for good
     */
    public boolean lower() {
        boolean changed;
        synchronized (this) {
            changed = !forGood && setRaised(false);
        }
        if (changed) {
            notifyListeners();
        }
        return changed;
    }

    public synchronized boolean isRaised() {
        return raised;
    }

    /**
     * Waits until the flag is raised or the timeout passes.
     *
     * @return true if it was raised (already, or at some point before the timeout passed), even if
     *         it has been lowered again since
     */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = raises;
        while (!raised && raises == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Adds an action run, on the thread that changed the flag and after the change, each time the
     * flag is raised or lowered. It must be quick and must not block.
     */
    public void onChange(Runnable action) {
        listeners.add(action);
    }

    /** @return whether the flag changed; waiters are woken when it is raised */
    private boolean setRaised(boolean value) {
        if (raised == value) {
            return false;
        }
        raised = value;
        if (value) {
            raises++;
            notifyAll();
        }
        return true;
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // One listener's trouble must not keep the change from the others.
                LOG.log(Level.WARNING, "A stop signal listener failed", e);
            }
        }
    }
}
