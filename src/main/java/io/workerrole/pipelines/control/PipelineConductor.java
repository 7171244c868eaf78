package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.api.PipelineStep;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.pipelines.control.RunProgress.Compensate;
import io.workerrole.pipelines.control.RunProgress.End;
import io.workerrole.pipelines.control.RunProgress.Move;
import io.workerrole.pipelines.control.RunProgress.StartStep;
import io.workerrole.pipelines.control.RunProgress.Succeed;
import io.workerrole.pipelines.control.RunProgress.Unwind;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.platform.CallerTransaction;
import io.workerrole.platform.Database;
import io.workerrole.platform.InputBounds;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Starts pipeline runs and moves them on: the run's next move is decided by {@link RunProgress}
 * and done in one transaction with the run's row lock held, its new jobs included, so that a
 * crash leaves a run either before a move or after it, never half-way. Each job a run starts has
 * an idempotency key made of the run, the step, the attempt and the branch (or the job it
 * undoes): a step starts once per run and attempt, whoever moves the run and however often.
 * Jobs to cancel are cancelled after the commit; their ends move the run on again.
 */
@ApplicationScoped
public class PipelineConductor {

    private static final Logger LOG = Logger.getLogger("io.workerrole.pipelines");

    @Inject
    PipelineRunStore runs;

    @Inject
    PipelineRunQueries runQueries;

    @Inject
    PipelineJobLinks links;

    @Inject
    PipelineSettings settings;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    JobService jobs;

    @Inject
    Clock clock;

    /** A run as {@link #start} left it; duplicate when the idempotency key was an earlier run's of the same caller. */
    public record Started(PipelineRun run, boolean duplicate) {
    }

    /** What became of a request to cancel a run. */
    public enum CancelResult { REQUESTED, ALREADY_UNWINDING, ALREADY_FINISHED }

    /** What a transaction left to do once it committed. */
    private static final class AfterCommit {
        final List<String> cancel = new ArrayList<>();
        int jobsStarted;
    }

    /**
     * Starts a run, with its first step's jobs, in a transaction of its own. (Starts and moves
     * are not group-committed: each is several statements that depend on what the previous one
     * read, so a batch would serialise them on one connection; side by side on their own
     * connections they went faster, measured with bench/pipelines.sh.)
     *
     * @param idempotencyScope whose the key is (see IdempotencyScope): a key finds the runs of its scope only
     * @throws InvalidPipelineException if the first step fans out and the payload is no JSON array
     */
    public Started start(Pipeline pipeline, String payload, String idempotencyScope, String idempotencyKey) {
        List<String> payloads = firstPayloads(pipeline, payload);
        try {
            Started started = runs.database().inTransaction(tx -> {
                Started s = startOn(tx.connection(), pipeline, payload, payloads, idempotencyScope, idempotencyKey);
                tx.commit();
                return s;
            });
            return begun(started, payloads);
        } catch (SQLException e) {
            if (idempotencyKey != null && Database.isUniqueViolation(e)) {
                // Another start with the same key committed first: that run is the one.
                Optional<PipelineRun> earlier = runQueries.byIdempotencyKey(idempotencyScope, idempotencyKey);
                if (earlier.isPresent()) {
                    return new Started(earlier.get(), true);
                }
            }
            throw failedStart(pipeline, e);
        }
    }

    /** Starts a run in the caller's JTA transaction: it exists, and its jobs start, only if that commits. */
    public Started startWithin(CallerTransaction transaction, Pipeline pipeline, String payload, String idempotencyScope,
                               String idempotencyKey) {
        List<String> payloads = firstPayloads(pipeline, payload);
        try {
            Started started = runs.database().inCallerTransaction(c -> startOn(c, pipeline, payload, payloads, idempotencyScope, idempotencyKey));
            transaction.afterCommit(() -> begun(started, payloads));
            return started;
        } catch (SQLException e) {
            throw failedStart(pipeline, e);
        }
    }

    /** @throws InvalidPipelineException if the payload is too large, or no JSON array for a first step that fans out */
    private List<String> firstPayloads(Pipeline pipeline, String payload) {
        int max = workerSettings.maxPayloadBytes();
        if (payload != null && payload.length() > max / 3 && payload.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new InvalidPipelineException("the payload is larger than " + max + " bytes (" + WorkerSettings.MAX_PAYLOAD_BYTES + ")");
        }
        return RunProgress.payloads(pipeline.steps().get(0), payload);
    }

    private Started startOn(Connection c, Pipeline pipeline, String payload, List<String> payloads, String idempotencyScope,
                            String idempotencyKey) throws SQLException {
        if (idempotencyKey != null) {
            Optional<PipelineRun> earlier = runs.byIdempotencyKey(c, idempotencyScope, idempotencyKey);
            if (earlier.isPresent()) {
                return new Started(earlier.get(), true);
            }
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        PipelineStep first = pipeline.steps().get(0);
        runs.insertRun(c, id, pipeline, payload, idempotencyScope, idempotencyKey, deadline(first, now), now);
        startJobs(c, id, first, 0, 0, payloads, now);
        return new Started(runs.find(c, id).orElseThrow(), false);
    }

    private Started begun(Started started, List<String> payloads) {
        if (!started.duplicate()) {
            PipelineRun run = started.run();
            LOG.fine(() -> tag(run) + "started");
            if (payloads.isEmpty()) {
                settle(run.id()); // a first step fanned out to no jobs is done already
            } else {
                jobs.wake();
            }
        }
        return started;
    }

    private static StoreException failedStart(Pipeline pipeline, SQLException e) {
        return new StoreException("Could not start a run of pipeline " + pipeline.name(), e);
    }

    /**
     * Moves the run on as far as it can go now: when its step's deadline passed, when it was
     * cancelled, or when the supervisor looks. A run that has ended is left alone.
     */
    public void settle(String runId) {
        move(runId, null);
    }

    /**
     * Moves the run on from the end of one of its jobs, and deletes the job's PIPELINE notice
     * in the same transaction.
     *
     * @param runId the job's run, or null if it is gone (only the notice is deleted)
     */
    public void stepEnded(String runId, String jobId) {
        move(runId, jobId);
    }

    /** @param endedJobId the job whose end the run moves on from, or null */
    private void move(String runId, String endedJobId) {
        AfterCommit after;
        try {
            after = runs.database().inTransaction(tx -> {
                AfterCommit work = new AfterCommit();
                if (endedJobId != null) {
                    jobs.settlePipelineNoticeWithin(tx.connection(), endedJobId);
                }
                if (runId != null) {
                    settleOn(tx.connection(), runId, work);
                }
                tx.commit();
                return work;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not move pipeline run " + runId + " on", e);
        }
        for (String jobId : after.cancel) {
            jobs.cancel(jobId, "pipeline run " + runId);
        }
        if (after.jobsStarted > 0) {
            jobs.wake();
        }
    }

    private void settleOn(Connection c, String runId, AfterCommit after) throws SQLException {
        Instant now = clock.instant();
        Optional<PipelineRun> locked = runs.lockActive(c, runId, now);
        // A run moves on by itself, without waiting for a job, only through steps fanned out to
        // none and into unwinding: at most twice per step, and once more to start compensating.
        int maxMoves = locked.map(run -> 2 * run.definition().steps().size() + 2).orElse(0);
        for (int moves = 0; locked.isPresent() && moves < maxMoves; moves++) {
            PipelineRun run = locked.get();
            Move move = RunProgress.next(run, links.stepJobs(c, runId), now);
            if (!apply(c, run, move, now, after)) {
                return;
            }
            locked = runs.find(c, runId).filter(again -> !again.state().isFinal());
        }
    }

    /** @return true if the run may move again at once (nothing it waits for was started) */
    private boolean apply(Connection c, PipelineRun run, Move move, Instant now, AfterCommit after) throws SQLException {
        if (move instanceof StartStep start) {
            PipelineStep step = run.definition().steps().get(start.step());
            startJobs(c, run.id(), step, start.step(), start.attempt(), start.payloads(), now);
            runs.startedStep(c, run.id(), start.step(), start.attempt(), deadline(step, now), now);
            after.cancel.addAll(start.cancel());
            after.jobsStarted += start.payloads().size();
            if (start.attempt() == 0) {
                LOG.fine(() -> tag(run) + "step " + step.name() + " starts");
            } else {
                LOG.warning(() -> tag(run) + "step " + step.name() + " passed its deadline; started again (attempt " + (start.attempt() + 1) + ")");
            }
            return start.payloads().isEmpty();
        }
        if (move instanceof Succeed succeed) {
            runs.succeeded(c, run.id(), succeed.result(), now);
            LOG.info(() -> tag(run) + "succeeded");
            return false;
        }
        if (move instanceof Unwind unwind) {
            runs.unwinding(c, run.id(), unwind.error(), unwind.failedStep(), now);
            after.cancel.addAll(unwind.cancel());
            LOG.warning(() -> tag(run) + "compensating: " + unwind.error());
            return true;
        }
        if (move instanceof Compensate compensate) {
            String jobId = jobs.recordWithin(c, jobs.pipelineStep(compensate.compensationType(), compensate.payload(),
                    "pipeline:" + run.id() + ":undo:" + compensate.undone().jobId(), PipelineStep.DEFAULT_PRIORITY, now));
            links.linkJob(c, jobId, run.id(), compensate.undone().step(), compensate.undone().branch(),
                    compensate.undone().attempt(), compensate.undone().jobId());
            runs.compensating(c, run.id(), compensate.undoList(), compensate.index(), now);
            after.jobsStarted++;
            LOG.fine(() -> tag(run) + "compensation " + compensate.compensationType() + " of step "
                    + run.definition().steps().get(compensate.undone().step()).name() + " starts");
            return false;
        }
        if (move instanceof End end) {
            runs.ended(c, run.id(), end.state(), end.error(), end.failedStep(), now);
            if (end.state() == PipelineRunState.COMPENSATION_FAILED) {
                LOG.severe(() -> tag(run) + "compensation failed, the run is left as it is: " + end.error());
            } else {
                LOG.info(() -> tag(run) + end.state().name().toLowerCase(Locale.ROOT));
            }
            return false;
        }
        return false; // Stay
    }

    /** Records a step's jobs, one per payload, linked to the run. */
    private void startJobs(Connection c, String runId, PipelineStep step, int stepIndex, int attempt, List<String> payloads,
                           Instant now) throws SQLException {
        for (int branch = 0; branch < payloads.size(); branch++) {
            String key = "pipeline:" + runId + ":" + stepIndex + "." + attempt + "." + branch;
            String jobId = jobs.recordWithin(c, jobs.pipelineStep(step.type(), payloads.get(branch), key, step.priority(), now));
            links.linkJob(c, jobId, runId, stepIndex, branch, attempt, null);
        }
    }

    private Instant deadline(PipelineStep step, Instant now) {
        return deadline(step.deadline() != null ? step.deadline() : settings.stepDeadline(), now);
    }

    /**
     * @return when a step started now with this deadline passes it. A deadline past
     *         {@link InputBounds#LONGEST} counts as that long: a pipeline stored before that bound was
     *         checked (PT9223372036854775807S, say) still runs, instead of failing every run on the overflow.
     */
    static Instant deadline(Duration deadline, Instant now) {
        return now.plus(InputBounds.notTooLong(deadline) ? deadline : InputBounds.LONGEST);
    }

    /**
     * Asks a run to stop: it is cancelled, its jobs under way are cancelled (their handlers see
     * {@code cancelled()}), and what succeeded is compensated.
     *
     * @return what happened, or empty if there is no such run
     */
    public Optional<CancelResult> cancel(String runId) {
        Optional<PipelineRun> run = runQueries.find(runId);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        if (!runs.requestCancel(runId, clock.instant())) {
            PipelineRun now = runQueries.find(runId).orElseThrow();
            return Optional.of(now.state().isFinal() ? CancelResult.ALREADY_FINISHED
                    : now.cancelRequested() && now.state() == PipelineRunState.RUNNING ? CancelResult.REQUESTED
                    : CancelResult.ALREADY_UNWINDING);
        }
        LOG.info(() -> tag(run.get()) + "cancel requested");
        settle(runId);
        return Optional.of(CancelResult.REQUESTED);
    }

    static String tag(PipelineRun run) {
        return "[pipeline run " + run.id() + " " + run.pipeline() + "] ";
    }
}
