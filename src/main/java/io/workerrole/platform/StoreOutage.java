package io.workerrole.platform;


import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps track of a job store outage (the database is down or unreachable) for a loop that polls
 * it: the first failure is logged as an error with its cause, the recovery once, and in between
 * the loop backs off from a quarter second to five seconds instead of flooding the log and the
 * database.
 */
public final class StoreOutage {

    static final Backoff PAUSES = Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(5));

    private final Logger log;
    private final String consequence;
    private volatile int failures;

    /** @param consequence what the outage holds up, for the log ("no jobs are claimed") */
    public StoreOutage(Logger log, String consequence) {
        this.log = log;
        this.consequence = consequence;
    }

    public void failed(Exception e) {
        failures++;
        if (failures == 1) {
            log.log(Level.SEVERE, "The job store is unavailable; " + consequence + " until it answers again", e);
        }
    }

    public void succeeded() {
        if (failures > 0) {
            int lasted = failures;
            log.info(() -> "The job store answers again (after " + lasted + " failed attempts)");
            failures = 0;
        }
    }

    /** @return how long to wait before the next attempt: doubling, capped */
    public Duration nextPause() {
        return PAUSES.delayAfter(failures);
    }

    public boolean isOngoing() {
        return failures > 0;
    }
}
