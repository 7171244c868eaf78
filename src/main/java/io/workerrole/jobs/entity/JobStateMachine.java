package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static io.workerrole.api.JobState.CANCELLED;
import static io.workerrole.api.JobState.DEAD;
import static io.workerrole.api.JobState.FAILED;
import static io.workerrole.api.JobState.QUEUED;
import static io.workerrole.api.JobState.REJECTED;
import static io.workerrole.api.JobState.RUNNING;
import static io.workerrole.api.JobState.SCHEDULED;
import static io.workerrole.api.JobState.SUCCEEDED;

/**
 * Which state of a job may follow which, in one place (as JobRunr's allowed state changes): a
 * job is recorded in one of the {@link #INITIAL} states, and from then on changes state only by
 * one of the {@link Change}s. The stores' SQL guards ({@code WHERE ... AND state IN (...)}) are
 * built from this table when their statements are, once, so that a store can only make a change
 * listed here, from the states listed here; the database then keeps two servers, or a server and
 * an admin, from both changing one job (the second update finds it in a state it may not leave).
 */
public final class JobStateMachine {

    /** The states a job is recorded in: to run now, to run later, or refused (invalid input). */
    public static final Set<JobState> INITIAL = Collections.unmodifiableSet(EnumSet.of(QUEUED, SCHEDULED, REJECTED));

    /**
     * The states a job leaves only by an admin's {@link Change#REQUEUE} (REJECTED not even so):
     * the ends that retention deletes, and that a job of a sequence waits for its predecessors to
     * reach. It agrees with {@link JobState#isFinal()}, which the test of this table checks.
     */
    public static final Set<JobState> FINAL = Collections.unmodifiableSet(EnumSet.of(SUCCEEDED, DEAD, CANCELLED, REJECTED));

    /**
     * Every allowed change of a job's state: the states it is made from, the state it makes, and
     * (in each javadoc) why it exists and which store makes it. Changes that share their edges
     * (a release and a recovery both put a RUNNING job back in the queue) are listed apart,
     * because they are made for different reasons by different statements.
     */
    public enum Change {
        /** A claim starts a queued job on a server, an attempt (ClaimStrategy). Claims look at QUEUED jobs only. */
        CLAIM(RUNNING, QUEUED),
        /** The handler returned a result (JobOutcomes.succeed). */
        SUCCEED(SUCCEEDED, RUNNING),
        /** The attempt failed and attempts remain: retried at its next attempt time (JobOutcomes.retryLater). */
        FAIL(FAILED, RUNNING),
        /** The attempt failed for good: attempts used up, not retryable, or poison (JobOutcomes.dead). */
        GIVE_UP(DEAD, RUNNING),
        /** Its cancellation was asked for while it ran, and its handler has returned (JobOutcomes.cancelled). */
        STOP_CANCELLED(CANCELLED, RUNNING),
        /** Its server stopped or froze while it ran: back to the queue, the attempt not counted (JobOutcomes.release). */
        RELEASE(QUEUED, RUNNING),
        /**
         * Its server claimed it but had no handler for its type when it came to run it (a script's
         * type removed in between): back to the queue for a server that runs the type, the attempt
         * not counted, rather than dead for a server's want (JobOutcomes.handBack).
         */
        HAND_BACK(QUEUED, RUNNING),
        /** A failed job's next attempt is due (JobClaims.queueDueJobs). */
        RETRY_DUE(QUEUED, FAILED),
        /** A scheduled job's run time has come (JobClaims.queueDueJobs). */
        RUN_TIME_CAME(QUEUED, SCHEDULED),
        /** Cancelled while it waited: it never runs (again) (JobCancels.cancel). A running job is only asked to stop. */
        CANCEL(CANCELLED, QUEUED, SCHEDULED, FAILED),
        /** Its server's lease lapsed, or the server restarted: queued again, to resume from its checkpoint (JobLeases.recover). */
        RECOVER(QUEUED, RUNNING),
        /** As {@link #RECOVER}, but its attempts are used up: a job that kills its server cannot do so for ever. */
        RECOVER_EXHAUSTED(DEAD, RUNNING),
        /** As {@link #RECOVER}, but it had been asked to stop: it ends as it would have. */
        RECOVER_CANCELLED(CANCELLED, RUNNING),
        /** An admin gives a dead or cancelled job a fresh set of attempts (JobRequeues.requeue, DeadJobRequeue). */
        REQUEUE(QUEUED, DEAD, CANCELLED);

        private final JobState target;
        private final Set<JobState> sources;
        private final String guard;
        private final String set;

        Change(JobState target, JobState first, JobState... rest) {
            this.target = target;
            this.sources = Collections.unmodifiableSet(EnumSet.of(first, rest));
            this.guard = condition("state", sources);
            this.set = "state = '" + target.name() + "'";
        }

        /** @return the state this change makes */
        public JobState target() {
            return target;
        }

        /** @return the states this change is made from */
        public Set<JobState> sources() {
            return sources;
        }

        /** @return whether this change leads from that state to that one */
        public boolean leads(JobState from, JobState to) {
            return to == target && sources.contains(from);
        }

        /** @return the SQL condition a store's update makes this change under: {@code state = 'A'} or {@code state IN ('A', 'B')} */
        public String guard() {
            return guard;
        }

        /** @return the SQL that sets the state this change makes: {@code state = 'A'} */
        public String set() {
            return set;
        }
    }

    private JobStateMachine() {
    }

    /** @return whether any change leads from one state to the other */
    public static boolean allows(JobState from, JobState to) {
        return Arrays.stream(Change.values()).anyMatch(change -> change.leads(from, to));
    }

    /** @return the states that may follow this one */
    public static Set<JobState> next(JobState from) {
        Set<JobState> next = EnumSet.noneOf(JobState.class);
        for (Change change : Change.values()) {
            if (change.sources().contains(from)) {
                next.add(change.target());
            }
        }
        return next;
    }

    /** @return the states any of these changes is made from: the guard of one statement that makes any of them */
    public static Set<JobState> sources(Change... changes) {
        Set<JobState> sources = EnumSet.noneOf(JobState.class);
        for (Change change : changes) {
            sources.addAll(change.sources());
        }
        return sources;
    }

    /**
     * An SQL condition on a state column, for a statement built once: {@code column = 'A'} for
     * one state (what the claim index is read by), {@code column IN ('A', 'B')} for more, in the
     * enum's order.
     */
    public static String condition(String column, Collection<JobState> states) {
        if (states.isEmpty()) {
            throw new IllegalArgumentException("no states for " + column);
        }
        return states.size() == 1 ? column + " = '" + states.iterator().next().name() + "'" : column + " IN " + list(states);
    }

    /** @return the states as an SQL list, {@code ('A', 'B')}, in the enum's order */
    public static String list(Collection<JobState> states) {
        return EnumSet.copyOf(states).stream().map(state -> "'" + state.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
