package io.workerrole.platform;

import io.workerrole.testing.MemoryLeases;
import io.workerrole.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rhythm of a leadership against a clock the test moves: taken, renewed every third of the
 * lease, held for half a lease after its last renewal began (so that a holder cut off from the
 * database stops before anyone else can take over), given up when not wanted.
 */
class LeadershipTest {

    private static final Duration LEASE = Duration.ofSeconds(15);

    private final MutableClock clock = new MutableClock();
    private final MemoryLeases leases = new MemoryLeases(clock);
    private final Leadership a = new Leadership(leases, "task:report", "a@h", clock);
    private final Leadership b = new Leadership(leases, "task:report", "b@h", clock);

    @Test
    void ofTwoServersTheFirstToAskHoldsTheLeaseAndTheOtherStandsBy() {
        a.keep(true, LEASE);
        b.keep(true, LEASE);

        assertTrue(a.holds());
        assertFalse(b.holds());
        assertEquals("a@h", leases.holder("task:report"));
    }

    @Test
    void theHolderRenewsEveryThirdOfTheLeaseAndSoKeepsIt() {
        a.keep(true, LEASE);
        for (int second = 1; second <= 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            a.keep(true, LEASE);
            b.keep(true, LEASE);
            assertTrue(a.holds(), "second " + second);
            assertFalse(b.holds(), "second " + second);
        }
    }

    @Test
    void aHolderThatCannotRenewStopsHoldingHalfALeaseAfterItsLastRenewalBeforeAnotherServerCanTakeIt() {
        a.keep(true, LEASE);
        leases.failing(true);
        clock.advance(Duration.ofMillis(7_499));
        a.keep(true, LEASE);
        assertTrue(a.holds(), "its renewals fail, but half a lease has not passed");
        clock.advance(Duration.ofMillis(1));
        assertFalse(a.holds(), "half a lease after its last renewal began");
        assertEquals(Duration.ofMillis(3_750), a.stopWithin(), "a quarter lease to stop in, a quarter for the clocks");

        leases.failing(false);
        clock.advance(Duration.ofMillis(7_500));
        b.keep(true, LEASE);
        assertFalse(b.holds(), "not before the whole lease has passed");
        clock.advance(Duration.ofSeconds(5));
        b.keep(true, LEASE);
        assertTrue(b.holds(), "taken over once lapsed, at its next attempt");
        a.keep(true, LEASE);
        assertFalse(a.holds(), "the former holder stands by");
    }

    @Test
    void aRenewalIsTriedAgainASecondAfterAFailure() {
        a.keep(true, LEASE);
        clock.advance(Duration.ofSeconds(5));
        leases.failing(true);
        a.keep(true, LEASE);
        leases.failing(false);
        clock.advance(Duration.ofMillis(999));
        a.keep(true, LEASE);
        clock.advance(Duration.ofMillis(1));
        a.keep(true, LEASE);

        clock.advance(Duration.ofMillis(1_500));
        assertTrue(a.holds(), "renewed a second after the failure (its next regular renewal is due only at 10 s)");
        clock.advance(Duration.ofMillis(6_000));
        assertFalse(a.holds(), "held for half a lease after that retry began, at 6 s");
    }

    @Test
    void aStandbyServerTriesAgainEveryThirdOfTheLeaseAndTakesItOnceGivenUp() {
        a.keep(true, LEASE);
        b.keep(true, LEASE);
        a.keep(false, LEASE);
        assertFalse(a.holds());
        assertNull(leases.holder("task:report"), "given up, not left to lapse");

        clock.advance(Duration.ofMillis(4_999));
        b.keep(true, LEASE);
        assertFalse(b.holds(), "its next attempt is due a third of the lease after the last");
        clock.advance(Duration.ofMillis(1));
        b.keep(true, LEASE);
        assertTrue(b.holds());
    }

    @Test
    void aClosedLeadershipGivesTheLeaseUpAndNeverTakesItAgain() {
        a.keep(true, LEASE);
        a.close();
        assertNull(leases.holder("task:report"));

        clock.advance(LEASE);
        a.keep(true, LEASE);
        assertFalse(a.holds());
        assertNull(leases.holder("task:report"));
    }
}
