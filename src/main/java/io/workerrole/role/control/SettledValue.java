package io.workerrole.role.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A setting's value that follows the configuration only once a new value has held for a while.
 * When Liberty shuts down it takes the server.xml variables away before the application stops,
 * so for a moment every setting reads as its default; the stop that follows must still use the
 * value the admin set. The first value is taken at once.
 *
 * @param <T> the value's type
 */
public final class SettledValue<T> {

    private final Duration settleTime;
    private T settled;
    private T candidate;
    private Instant candidateSince;

    public SettledValue(Duration settleTime) {
        this.settleTime = settleTime;
    }

    /**
     * @param read the value just read from the configuration
     * @param now the time of the read
     * @return the settled value
     */
    public synchronized T update(T read, Instant now) {
        if (settled == null || Objects.equals(read, settled)) {
            settled = read;
            candidate = null;
        } else if (!Objects.equals(read, candidate)) {
            candidate = read;
            candidateSince = now;
        } else if (!now.isBefore(candidateSince.plus(settleTime))) {
            settled = read;
            candidate = null;
        }
        return settled;
    }

    /** @return the settled value, or null before the first update */
    public synchronized T get() {
        return settled;
    }
}
