package io.workerrole.jobs.entity;

import java.time.Duration;
import java.time.Instant;

/**
 * The starts a rate-limited job type may make now: a token per start, refilled at the type's
 * rate up to a capacity of a quarter second's worth (at least one token), so that a type idle
 * for a while starts no burst larger than that: over any window of {@code w} seconds at most
 * {@code rate * w + capacity} start, 5 % above the rate over 5 s. Kept in the job store with the
 * type's limit, and read and written under its lock, so that one bucket serves the whole fleet.
 *
 * @param tokens the tokens left (whole ones may be spent; a fraction waits for the rest)
 * @param refilledAt when they were last counted
 */
public record TokenBucket(double tokens, Instant refilledAt) {

    /** How many seconds' worth of starts the bucket holds. */
    static final double CAPACITY_SECONDS = 0.25;

    /** @return a full bucket at the rate */
    public static TokenBucket full(double perSecond, Instant now) {
        return new TokenBucket(capacity(perSecond), now);
    }

    /** @return how many tokens a bucket of the rate holds at most: a quarter second's worth, at least one */
    public static double capacity(double perSecond) {
        return Math.max(1, perSecond * CAPACITY_SECONDS);
    }

    /**
     * @return the bucket at {@code now}: the tokens the time since it was last counted has added,
     *         up to its capacity. A {@code now} before that (another server's clock a little behind)
     *         adds none and keeps the later time, so that no time is counted twice.
     */
    public TokenBucket refill(double perSecond, Instant now) {
        if (!now.isAfter(refilledAt)) {
            return new TokenBucket(Math.min(tokens, capacity(perSecond)), refilledAt);
        }
        double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
        return new TokenBucket(Math.min(capacity(perSecond), tokens + seconds * perSecond), now);
    }

    /** @return how many starts the tokens allow now */
    public int whole() {
        return (int) Math.min(Integer.MAX_VALUE, Math.floor(tokens + 1e-9));
    }

    /** @return when the bucket is full at the rate, if nothing is spent meanwhile */
    public Instant fullAt(double perSecond) {
        double missing = Math.max(0, capacity(perSecond) - tokens);
        return refilledAt.plusNanos((long) Math.ceil(missing / perSecond * 1e9));
    }

    /** @return the bucket with {@code starts} tokens spent */
    public TokenBucket spend(int starts) {
        if (starts > whole()) {
            throw new IllegalArgumentException(starts + " starts with " + tokens + " tokens");
        }
        return new TokenBucket(Math.max(0, tokens - starts), refilledAt);
    }
}
