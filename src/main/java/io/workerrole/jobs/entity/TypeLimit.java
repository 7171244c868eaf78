package io.workerrole.jobs.entity;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A fleet-wide limit on one job type: how many of its jobs may run at once across the fleet,
 * and how many may start per second; either may be absent, not both.
 *
 * @param concurrency the most RUNNING at once, at least 1; null: no such limit
 * @param perSecond the most starts per second, above 0 (0.5: one every two seconds); null: no such limit
 */
public record TypeLimit(Integer concurrency, Double perSecond) {

    public TypeLimit {
        if (concurrency == null && perSecond == null) {
            throw new IllegalArgumentException("a limit limits something");
        }
        if (concurrency != null && concurrency < 1 || perSecond != null && !(perSecond > 0)) {
            throw new IllegalArgumentException("concurrency " + concurrency + ", perSecond " + perSecond);
        }
    }

    /**
     * The limit in force from two sources, field by field: the preferred source's value (the
     * API's) where it has one, else the fallback's (this server's server.xml).
     *
     * @return the limit in force, if either has a value
     */
    public static Optional<TypeLimit> combine(Integer preferredConcurrency, Double preferredPerSecond,
                                              Integer fallbackConcurrency, Double fallbackPerSecond) {
        Integer concurrency = preferredConcurrency != null ? preferredConcurrency : fallbackConcurrency;
        Double perSecond = preferredPerSecond != null ? preferredPerSecond : fallbackPerSecond;
        return concurrency == null && perSecond == null ? Optional.empty() : Optional.of(new TypeLimit(concurrency, perSecond));
    }

    public OptionalInt maxRunning() {
        return concurrency == null ? OptionalInt.empty() : OptionalInt.of(concurrency);
    }

    public OptionalDouble rate() {
        return perSecond == null ? OptionalDouble.empty() : OptionalDouble.of(perSecond);
    }

    /** @return the rate as people write it: 20, 0.5 */
    public static String rateText(double perSecond) {
        return perSecond == Math.rint(perSecond) && perSecond < 1e15 ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }
}
