package io.workerrole.pipelines.control;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.MissedFirings;
import io.workerrole.api.PipelineRunState;
import io.workerrole.api.Scheduled;
import io.workerrole.platform.RetentionSettings;
import io.workerrole.pipelines.entity.PipelineRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The supervisor of the scheduler-agent-supervisor pattern, as a singleton schedule: on one
 * server at a time, every few seconds, it moves on the runs whose step passed its deadline
 * (started again, or compensated), looks again at every run under way now and then
 * ({@code worker.pipelines.checkEvery}: a run whose step's end was never heard moves on), and
 * reports the runs that have not moved for {@code worker.pipelines.stuckAfter}; it also deletes
 * the runs that ended longer ago than the jobs' retention ({@code worker.jobs.retention}, and
 * {@code worker.jobs.deadRetention} for COMPENSATION_FAILED ones). Admins can pause
 * it in {@code /api/schedules} like any schedule.
 */
@ApplicationScoped
@JobType(PipelineSupervisor.TYPE)
@Scheduled(name = PipelineSupervisor.TYPE, every = "PT10S", missed = MissedFirings.SKIP)
public class PipelineSupervisor implements JobHandler {

    public static final String TYPE = "pipeline-supervisor";
    /** Runs looked at per firing, at most; the rest at the next one, those looked at longest ago first. */
    static final int BATCH = 200;
    private static final Logger LOG = Logger.getLogger("io.workerrole.pipelines");

    @Inject
    PipelineRunQueries runQueries;

    @Inject
    PipelineRunStore runs;

    @Inject
    PipelineConductor conductor;

    @Inject
    PipelineSettings settings;

    @Inject
    RetentionSettings retention;

    @Inject
    Clock clock;

    /** When each stuck run was last reported, so that the log says it once per stuckAfter. */
    private final Map<String, Instant> reported = new ConcurrentHashMap<>();

    @Override
    public Object handle(JobContext job) {
        Instant now = clock.instant();
        List<String> due = runQueries.due(now, now.minus(settings.checkEvery()), BATCH);
        int failed = 0;
        for (String runId : due) {
            try {
                conductor.settle(runId);
            } catch (RuntimeException e) {
                failed++;
                LOG.log(Level.WARNING, "[pipeline run " + runId + "] could not be moved on now; looked at again at a later firing", e);
            }
        }
        int stuck = reportStuck(now);
        int deleted = runs.deleteEnded(now.minus(retention.retention()), now.minus(retention.deadRetention()), BATCH);
        return JSON.createObjectBuilder().add("lookedAt", due.size()).add("failed", failed).add("stuck", stuck)
                .add("deletedEnded", deleted).build();
    }

    private int reportStuck(Instant now) {
        Instant before = now.minus(settings.stuckAfter());
        List<PipelineRun> stuck = runQueries.stuck(before, BATCH);
        reported.values().removeIf(at -> at.isBefore(before));
        for (PipelineRun run : stuck) {
            if (reported.putIfAbsent(run.id(), now) == null) {
                LOG.warning(() -> PipelineConductor.tag(run) + "stuck: " + run.state() + " at step " + run.currentStep().name()
                        + " since " + run.updatedAt() + " (" + describe(run) + ")");
            }
        }
        return stuck.size();
    }

    private static String describe(PipelineRun run) {
        return run.state() == PipelineRunState.RUNNING ? "its step's jobs have not ended" : "a compensation has not ended";
    }
}
