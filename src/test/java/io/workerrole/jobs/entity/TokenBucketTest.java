package io.workerrole.jobs.entity;

import io.workerrole.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenBucketTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void aFullBucketHoldsAQuarterSecondOfStartsAndAtLeastOne() {
        assertEquals(5, TokenBucket.full(20, clock.instant()).whole());
        assertEquals(1, TokenBucket.full(0.5, clock.instant()).whole());
        assertEquals(25, TokenBucket.full(100, clock.instant()).whole());
    }

    @Test
    void refillsAtTheRateUpToItsCapacity() {
        TokenBucket bucket = TokenBucket.full(20, clock.instant()).spend(5);
        assertEquals(0, bucket.whole());
        clock.advance(Duration.ofMillis(100));
        bucket = bucket.refill(20, clock.instant());
        assertEquals(2, bucket.whole(), "20/s: two tokens in 100 ms");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(5, bucket.refill(20, clock.instant()).whole(), "never more than a quarter second's worth");
    }

    @Test
    void keepsTheFractionOfATokenForTheNextLook() {
        TokenBucket bucket = TokenBucket.full(0.5, clock.instant()).spend(1);
        clock.advance(Duration.ofSeconds(1));
        bucket = bucket.refill(0.5, clock.instant());
        assertEquals(0, bucket.whole(), "half a token after a second at 0.5/s");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, bucket.refill(0.5, clock.instant()).whole());
    }

    @Test
    void startsOverAnyWindowStayWithinTheRateAndOneCapacity() {
        // A claimer that looks every 10 ms and takes every whole token: over 5 s, at most 5 * 20 + 5 start.
        TokenBucket bucket = TokenBucket.full(20, clock.instant());
        int started = 0;
        for (int look = 0; look <= 500; look++) {
            bucket = bucket.refill(20, clock.instant());
            started += bucket.whole();
            bucket = bucket.spend(bucket.whole());
            clock.advance(Duration.ofMillis(10));
        }
        assertEquals(105, started, "100 over 5 s and the 5 of the full bucket it started with");
    }

    @Test
    void aClockBehindTheLastCountAddsNothingAndKeepsTheLaterTime() {
        TokenBucket bucket = new TokenBucket(1, clock.instant().plusSeconds(1));
        TokenBucket refilled = bucket.refill(20, clock.instant());
        assertEquals(1, refilled.whole());
        assertEquals(bucket.refilledAt(), refilled.refilledAt());
    }

    @Test
    void saysWhenItIsFullAgain() {
        TokenBucket empty = TokenBucket.full(4, clock.instant()).spend(1);
        assertEquals(clock.instant().plusMillis(250), empty.fullAt(4), "a token at 4/s: 250 ms");
        assertEquals(clock.instant().plusMillis(250), TokenBucket.full(20, clock.instant()).spend(5).fullAt(20), "five at 20/s");
        assertEquals(clock.instant(), TokenBucket.full(20, clock.instant()).fullAt(20));
    }

    @Test
    void refusesToSpendTokensItDoesNotHave() {
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.full(20, clock.instant()).spend(6));
    }
}
