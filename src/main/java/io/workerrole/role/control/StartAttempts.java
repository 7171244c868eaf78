package io.workerrole.role.control;

import io.workerrole.role.entity.RolePhase;

import java.time.Clock;
import java.time.Duration;

/**
 * Decides, one look at the freeze flag at a time, when the role's start hooks may run: never
 * while the flag holds the role, and after a failed start only once the flag has held it and
 * been lifted again. So a role whose start keeps failing is stopped by the admin's freeze (it
 * stays live, nothing restarts it) and tries its start again when unfrozen, while a role whose
 * start failed without a freeze stays failed, for an orchestrator to restart.
 * <p>
 * A held start is released only by the flag set to false, held for {@code settleTime}: while
 * Liberty shuts down it takes every server.xml variable away seconds before the application stops
 * (the flag is unset, and reads false elsewhere), and a held start must not run its hooks then.
 */
public final class StartAttempts {

    /** What the role does after a look at the flag. */
    public enum Next {
        /** Run the start hooks now. */
        RUN_HOOKS,
        /** Wait and look again: the flag holds the role, or its start failed and no freeze has held it since. */
        WAIT
    }

    private final Clock clock;
    private final SettledValue<Boolean> frozen;
    private RolePhase phase = RolePhase.STARTING;
    private int attempts;
    private boolean heldSinceFailure;

    /**
     * @param settleTime how long a change of the flag must hold before it counts
     */
    public StartAttempts(Clock clock, Duration settleTime) {
        this.clock = clock;
        this.frozen = new SettledValue<>(settleTime);
    }

    /**
     * @param frozenNow the flag as just read, or null if it is not set: then a held start stays
     *        held, and one that is not held takes it as false (the flag's default)
     * @return whether to run the start hooks now or to wait
     */
    public synchronized Next next(Boolean frozenNow) {
        boolean held = phase == RolePhase.START_HELD;
        boolean read = frozenNow != null ? frozenNow : held;
        if (frozen.update(read, clock.instant())) {
            phase = RolePhase.START_HELD;
            heldSinceFailure = attempts > 0;
            return Next.WAIT;
        }
        if (attempts == 0 || heldSinceFailure) {
            phase = RolePhase.STARTING;
            heldSinceFailure = false;
            attempts++;
            return Next.RUN_HOOKS;
        }
        phase = RolePhase.START_FAILED;
        return Next.WAIT;
    }

    /** Records that the attempt {@link #next} allowed has failed. */
    public synchronized void failed() {
        phase = RolePhase.START_FAILED;
    }

    /** @return STARTING, START_HELD or START_FAILED, as the last look and attempt left it */
    public synchronized RolePhase phase() {
        return phase;
    }

    /** @return how many times the start hooks were run */
    public synchronized int attempts() {
        return attempts;
    }
}
