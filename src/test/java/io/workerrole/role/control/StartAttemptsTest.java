package io.workerrole.role.control;

import io.workerrole.role.control.StartAttempts.Next;
import io.workerrole.role.entity.RolePhase;
import io.workerrole.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When the role's start hooks may run, as the freeze flag is read tick after tick against a clock
 * the test moves: the scenario of a start that fails again and again until the admin freezes the role.
 */
class StartAttemptsTest {

    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration TICK = Duration.ofMillis(250);

    private final MutableClock clock = new MutableClock();
    private final StartAttempts attempts = new StartAttempts(clock, SETTLE);

    @Test
    void anUnfrozenRoleRunsItsStartHooksAtOnce() {
        assertEquals(Next.RUN_HOOKS, attempts.next(false));
        assertEquals(RolePhase.STARTING, attempts.phase());
        assertEquals(1, attempts.attempts());
    }

    @Test
    void aRoleFrozenAtStartHoldsItsHooksForAsLongAsTheFlagHolds() {
        for (int i = 0; i < 4 * 60 * 60; i++) { // an hour of ticks
            assertEquals(Next.WAIT, attempts.next(true));
            clock.advance(TICK);
        }
        assertEquals(RolePhase.START_HELD, attempts.phase());
        assertEquals(0, attempts.attempts(), "no hook ran");
    }

    @Test
    void aHeldStartRunsOnceTheUnfreezeHasHeldForTheSettleTime() {
        attempts.next(true);
        clock.advance(TICK);

        assertEquals(Next.WAIT, attempts.next(false));
        clock.advance(SETTLE.minusMillis(1));
        assertEquals(Next.WAIT, attempts.next(false), "not before the unfreeze has held for the settle time");
        assertEquals(RolePhase.START_HELD, attempts.phase());

        clock.advance(Duration.ofMillis(1));
        assertEquals(Next.RUN_HOOKS, attempts.next(false));
        assertEquals(RolePhase.STARTING, attempts.phase());
        assertEquals(1, attempts.attempts());
    }

    @Test
    void aHeldStartIsNotReleasedByTheFlagReadingFalseForAMomentAsItDoesWhileLibertyShutsDown() {
        attempts.next(true);
        clock.advance(TICK);
        attempts.next(false);
        clock.advance(TICK);
        attempts.next(false);
        clock.advance(TICK);
        attempts.next(true);

        for (int i = 0; i < 20; i++) {
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(true));
        }
        assertEquals(RolePhase.START_HELD, attempts.phase());
        assertEquals(0, attempts.attempts());
    }

    @Test
    void anUnsetFlagAsWhileLibertyShutsDownKeepsAHeldStartHeld() {
        attempts.next(true);
        for (int i = 0; i < 4 * 60; i++) { // a minute of ticks
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(null));
        }
        assertEquals(RolePhase.START_HELD, attempts.phase());
        assertEquals(0, attempts.attempts());
    }

    @Test
    void anUnsetFlagIsNoFreezeForAStartThatIsNotHeld() {
        assertEquals(Next.RUN_HOOKS, attempts.next(null));
        attempts.failed();
        for (int i = 0; i < 20; i++) {
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(null));
        }
        assertEquals(RolePhase.START_FAILED, attempts.phase());
        assertEquals(1, attempts.attempts());
    }

    @Test
    void aStartThatFailedWithoutAFreezeStaysFailedAndIsNotTriedAgain() {
        attempts.next(false);
        attempts.failed();

        for (int i = 0; i < 4 * 60 * 60; i++) {
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(false));
        }
        assertEquals(RolePhase.START_FAILED, attempts.phase(), "not live: an orchestrator restarts it");
        assertEquals(1, attempts.attempts());
    }

    @Test
    void aFreezeAfterAFailedStartHoldsTheRoleAndItsLiftingTriesTheStartAgain() {
        attempts.next(false);
        attempts.failed();
        clock.advance(TICK);

        attempts.next(true);
        assertEquals(RolePhase.START_FAILED, attempts.phase(), "a freeze counts once it has held for the settle time");
        clock.advance(SETTLE);
        assertEquals(Next.WAIT, attempts.next(true));
        assertEquals(RolePhase.START_HELD, attempts.phase(), "held: live, not restarted");

        for (int i = 0; i < 40; i++) {
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(true));
        }
        assertEquals(1, attempts.attempts(), "nothing is tried while frozen");

        attempts.next(false);
        clock.advance(SETTLE);
        assertEquals(Next.RUN_HOOKS, attempts.next(false));
        assertEquals(RolePhase.STARTING, attempts.phase());
        assertEquals(2, attempts.attempts());
    }

    @Test
    void aSecondFailureAfterTheRetryStaysFailedUntilTheNextFreeze() {
        attempts.next(false);
        attempts.failed();
        attempts.next(true);
        clock.advance(SETTLE);
        attempts.next(true);
        attempts.next(false);
        clock.advance(SETTLE);
        assertEquals(Next.RUN_HOOKS, attempts.next(false));
        attempts.failed();

        for (int i = 0; i < 20; i++) {
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(false));
        }
        assertEquals(RolePhase.START_FAILED, attempts.phase());
        assertEquals(2, attempts.attempts());
    }

    @Test
    void aFreezeShorterThanTheSettleTimeAfterAFailureDoesNotTryTheStartAgain() {
        attempts.next(false);
        attempts.failed();
        clock.advance(TICK);
        attempts.next(true);
        clock.advance(TICK);
        attempts.next(false);

        for (int i = 0; i < 20; i++) {
            clock.advance(TICK);
            assertEquals(Next.WAIT, attempts.next(false));
        }
        assertEquals(RolePhase.START_FAILED, attempts.phase());
        assertEquals(1, attempts.attempts());
    }
}
