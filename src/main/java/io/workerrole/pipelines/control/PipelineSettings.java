package io.workerrole.pipelines.control;

import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** The pipelines' settings, read on every use so that an edit of server.xml applies at once. */
@ApplicationScoped
public class PipelineSettings {

    public static final String STEP_DEADLINE = "worker.pipelines.stepDeadline";
    public static final String CHECK_EVERY = "worker.pipelines.checkEvery";
    public static final String STUCK_AFTER = "worker.pipelines.stuckAfter";

    @Inject
    WorkerSettings settings;

    /** @return how long a step may take when its pipeline gives it no deadline */
    public Duration stepDeadline() {
        return settings.readDuration(STEP_DEADLINE, Duration.ofHours(1));
    }

    /**
     * @return how often the supervisor looks at each run under way, even when nothing told it
     *         to: it moves on a run whose step's end was recorded but not heard (a notice given up)
     */
    public Duration checkEvery() {
        return settings.readDuration(CHECK_EVERY, Duration.ofSeconds(30));
    }

    /** @return how long a run under way may go without moving before the supervisor reports it stuck */
    public Duration stuckAfter() {
        return settings.readDuration(STUCK_AFTER, Duration.ofMinutes(15));
    }
}
