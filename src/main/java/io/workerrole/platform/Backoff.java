package io.workerrole.platform;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again after failures in a row, for every "try again later" of
 * the worker (job retries, task restarts, store outages, notices): {@code first} after one
 * failure, twice as long after each further one, never longer than {@code cap}; optionally with
 * random jitter, so that things that failed together do not all try again together.
 *
 * <p>The guarantee, for every failure count including {@code 0}, negative numbers and
 * {@link Integer#MAX_VALUE}: the delay is between zero and {@code cap}, it is computed without
 * overflow, and without jitter it never shrinks as the count grows. Fewer than one failure is
 * read as one. Immutable and safe to share between threads (given a thread-safe random source).
 */
public final class Backoff {

    private final Duration first;
    private final Duration cap;
    private final double jitter;
    private final DoubleSupplier random;

    private Backoff(Duration first, Duration cap, double jitter, DoubleSupplier random) {
        this.first = Objects.requireNonNull(first, "first");
        this.cap = Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be a fraction from 0 to 1: " + jitter);
        }
        this.jitter = jitter;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param first the delay after one failure; a {@code first} above {@code cap} is capped
     * @param cap the longest delay
     * @return a backoff without jitter
     */
    public static Backoff doubling(Duration first, Duration cap) {
        return new Backoff(first, cap, 0, () -> 0);
    }

    /**
     * @param fraction how much longer a delay may be made at random, from 0 to 1 (0.2: up to
     *        20% longer), still never beyond the cap; added in whole milliseconds
     * @param random a source of numbers from 0 to 1 ({@code ThreadLocalRandom}'s, or a constant
     *        in tests); numbers outside are taken as the nearer end
     * @return this backoff with jitter
     */
    public Backoff withJitter(double fraction, DoubleSupplier random) {
        return new Backoff(first, cap, fraction, random);
    }

    /** @return the delay after one failure, as given (it may exceed the cap, which wins) */
    public Duration first() {
        return first;
    }

    /** @return the longest delay this backoff ever returns */
    public Duration cap() {
        return cap;
    }

    /**
     * @param failures how many times in a row the thing has failed, from 1
     * @return how long to wait before trying again: {@code first} doubled {@code failures - 1}
     *         times, plus jitter if any, at most {@code cap}
     */
    public Duration delayAfter(int failures) {
        Duration delay = first.compareTo(cap) < 0 ? first : cap;
        Duration half = cap.dividedBy(2);
        // Doubling stops at the cap, so the loop runs at most ~94 times (1 ns to Duration's
        // largest), whatever the count; comparing with half the cap first keeps it from overflowing.
        for (int doubled = 1; doubled < failures && delay.compareTo(cap) < 0 && !delay.isZero(); doubled++) {
            delay = delay.compareTo(half) > 0 ? cap : delay.multipliedBy(2);
        }
        return jitter == 0 ? delay : jittered(delay);
    }

    private Duration jittered(Duration delay) {
        if (delay.compareTo(cap) >= 0) {
            return cap;
        }
        double draw = Math.min(Math.max(random.getAsDouble(), 0), 1);
        // The whole milliseconds as a double: what toMillis() gives, without its overflow for
        // delays beyond 292 million years (whose jitter is then counted in seconds).
        double millis = delay.getSeconds() * 1000.0 + delay.getNano() / 1_000_000;
        double extraMillis = millis * jitter * draw;
        Duration extra = extraMillis < Long.MAX_VALUE
                ? Duration.ofMillis(Math.round(extraMillis))
                : Duration.ofSeconds((long) (extraMillis / 1000));
        return extra.compareTo(cap.minus(delay)) >= 0 ? cap : delay.plus(extra);
    }

    @Override
    public String toString() {
        return "Backoff[first=" + first + ", cap=" + cap + (jitter == 0 ? "" : ", jitter=" + jitter) + "]";
    }
}
