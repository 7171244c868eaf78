package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.JobStateMachine.Change;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.workerrole.api.JobState.CANCELLED;
import static io.workerrole.api.JobState.DEAD;
import static io.workerrole.api.JobState.FAILED;
import static io.workerrole.api.JobState.QUEUED;
import static io.workerrole.api.JobState.REJECTED;
import static io.workerrole.api.JobState.RUNNING;
import static io.workerrole.api.JobState.SCHEDULED;
import static io.workerrole.api.JobState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStateMachineTest {

    @Test
    void everyStateIsReachableFromTheStatesAJobIsRecordedIn() {
        assertEquals(EnumSet.allOf(JobState.class), reachable(JobStateMachine.INITIAL));
    }

    @Test
    void everyUnfinishedStateCanReachAnEndSoNoJobIsStuckInOne() {
        for (JobState state : JobState.values()) {
            Set<JobState> ahead = reachable(JobStateMachine.next(state));
            ahead.retainAll(JobStateMachine.FINAL);
            assertTrue(JobStateMachine.FINAL.contains(state) || !ahead.isEmpty(), state + " leads to no end");
        }
    }

    @Test
    void theFinalStatesAreThoseOnlyAnAdminsRequeueLeavesAndAgreeWithTheApi() {
        for (JobState state : JobState.values()) {
            List<Change> ways = Arrays.stream(Change.values()).filter(change -> change.sources().contains(state)).toList();
            boolean onlyRequeue = ways.stream().allMatch(change -> change == Change.REQUEUE);
            assertEquals(JobStateMachine.FINAL.contains(state), onlyRequeue, state + " is left by " + ways);
            assertEquals(state.isFinal(), JobStateMachine.FINAL.contains(state), state + ": JobState.isFinal() and the table disagree");
        }
    }

    @Test
    void aSucceededOrRejectedJobNeverChangesAgainAndARequeueRunsADeadOrCancelledOneAfresh() {
        assertEquals(Set.of(), JobStateMachine.next(SUCCEEDED));
        assertEquals(Set.of(), JobStateMachine.next(REJECTED));
        assertEquals(Set.of(QUEUED), JobStateMachine.next(DEAD));
        assertEquals(Set.of(QUEUED), JobStateMachine.next(CANCELLED));
        assertFalse(JobStateMachine.allows(SUCCEEDED, QUEUED));
    }

    @Test
    void onlyAClaimStartsAJobAndItTakesJobsFromTheQueueAlone() {
        // One source state: the claim reads the first rows of the state-first claim index, and
        // every start is counted as an attempt by the one statement that makes it.
        List<Change> starts = Arrays.stream(Change.values()).filter(change -> change.target() == RUNNING).toList();
        assertEquals(List.of(Change.CLAIM), starts);
        assertEquals(Set.of(QUEUED), Change.CLAIM.sources());
    }

    @Test
    void noChangeLeadsFromAStateToItselfSoASecondUpdateOfOneJobFindsNothingToChange() {
        // The guards fence racing servers only because a change's target fails its own guard:
        // of two claims (or a claim and a cancel) of one job, the second updates no row.
        for (Change change : Change.values()) {
            assertFalse(change.sources().contains(change.target()), change + " leads from " + change.target() + " to itself");
        }
    }

    @Test
    void theEndsAnOwnerOrARecoveryMakesAreMadeFromTheOneStateAJobHasAnOwnerIn() {
        // Their statements are fenced by the owner column, which only a claim sets: a change
        // from another state as well would let an owner-less job (or a stale owner) be ended.
        for (Change change : List.of(Change.SUCCEED, Change.FAIL, Change.GIVE_UP, Change.STOP_CANCELLED, Change.RELEASE,
                Change.HAND_BACK, Change.RECOVER, Change.RECOVER_EXHAUSTED, Change.RECOVER_CANCELLED)) {
            assertEquals(Set.of(Change.CLAIM.target()), change.sources(), change.toString());
        }
    }

    @Test
    void aWaitingJobIsCancelledAtOnceAndARunningOneOnlyWhenItsHandlerReturnsOrItsServerIsGone() {
        assertEquals(EnumSet.of(QUEUED, SCHEDULED, FAILED), Change.CANCEL.sources());
        assertEquals(Set.of(Change.STOP_CANCELLED, Change.RECOVER_CANCELLED), Arrays.stream(Change.values())
                .filter(change -> change.leads(RUNNING, CANCELLED)).collect(Collectors.toSet()));
    }

    @Test
    void aGuardOfOneStateIsAnEqualityAndOfMoreAnInListInTheEnumsOrder() {
        assertEquals("state = 'QUEUED'", Change.CLAIM.guard());
        assertEquals("state = 'RUNNING'", Change.SUCCEED.guard());
        assertEquals("state IN ('QUEUED', 'SCHEDULED', 'FAILED')", Change.CANCEL.guard());
        assertEquals("state IN ('DEAD', 'CANCELLED')", Change.REQUEUE.guard());
        assertEquals("state = 'CANCELLED'", Change.CANCEL.set());
        assertEquals("('SUCCEEDED', 'DEAD', 'CANCELLED', 'REJECTED')", JobStateMachine.list(JobStateMachine.FINAL));
        assertEquals("j.state IN ('SCHEDULED', 'FAILED')",
                JobStateMachine.condition("j.state", JobStateMachine.sources(Change.RETRY_DUE, Change.RUN_TIME_CAME)));
    }

    /**
     * The SQL that names job states by hand, in the job stores: reads that change no state, each
     * checked against the table. Every statement that changes a job's state builds its guard
     * from a {@link Change}, so a state written here by hand (a new {@code SET state = 'X'} or
     * {@code AND state = 'Y'}) fails this test until it is derived, or listed with its reason.
     */
    @Test
    void theStatesTheJobStoresNameByHandAreReadsThatAgreeWithTheTable() throws IOException {
        Set<JobState> running = Set.of(Change.CLAIM.target());
        Set<JobState> finalButDead = EnumSet.copyOf(JobStateMachine.FINAL);
        finalButDead.remove(DEAD);
        Set<JobState> backlog = EnumSet.complementOf(EnumSet.copyOf(JobStateMachine.FINAL));
        backlog.add(DEAD);
        List<String> expected = Stream.of(
                // The own updates (progress, checkpoint) and lease renewals of a job its owner runs: the state a claim makes.
                guard("JobOutcomes", "state", running),
                guard("JobLeases", "state", running),
                // The running jobs whose cancellation was asked for: those that may still end CANCELLED when their handler returns.
                guard("JobCancels", "state", Change.STOP_CANCELLED.sources()),
                // Retention: the final states, DEAD with its own, longer cut-off.
                guard("JobRetention", "j.state", finalButDead),
                guard("JobRetention", "j.state", Set.of(DEAD)),
                // The backlog counted by state: the unfinished jobs and the dead ones (which an admin may requeue).
                guard("JobQueries", "state", backlog),
                // The dead jobs an admin's bulk requeue visits, and the dead jobs' statistics.
                guard("JobRequeues", "state", Set.of(Change.GIVE_UP.target())),
                guard("JobStatistics", "state", Set.of(Change.GIVE_UP.target()))).sorted().toList();
        assertTrue(Change.REQUEUE.sources().contains(DEAD), "the bulk requeue visits DEAD jobs, which a requeue is made from");
        assertEquals(expected, handWrittenStateConditions(), "the job stores' SQL that names states by hand");
    }

    private static String guard(String store, String column, Set<JobState> states) {
        return store + ": " + JobStateMachine.condition(column, states);
    }

    /** A condition on a state column with quoted states in a string literal: {@code x.state = 'A'}, {@code state IN ('A', 'B')}. */
    private static final Pattern CONDITION = Pattern.compile("([\\w.]*state) (=|IN|NOT IN) ('[A-Z]+'|\\('[A-Z]+'(?:, '[A-Z]+')*\\))");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Every condition on a job state written in the string literals of the main sources of {@code jobs}, as "Store: condition". */
    private static List<String> handWrittenStateConditions() throws IOException {
        Path jobs = Path.of("src/main/java/io/workerrole/jobs");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(jobs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                String store = file.getFileName().toString().replace(".java", "");
                for (String line : read(file)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    Matcher literal = LITERAL.matcher(code);
                    while (literal.find()) {
                        Matcher condition = CONDITION.matcher(literal.group(1));
                        while (condition.find()) {
                            found.add(store + ": " + condition.group());
                        }
                    }
                }
            }
        }
        return found.stream().sorted().toList();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<JobState> reachable(Set<JobState> from) {
        Set<JobState> seen = EnumSet.noneOf(JobState.class);
        Deque<JobState> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            JobState state = todo.pop();
            if (seen.add(state)) {
                todo.addAll(JobStateMachine.next(state));
            }
        }
        return seen;
    }
}
