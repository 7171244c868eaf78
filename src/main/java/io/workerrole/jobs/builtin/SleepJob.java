package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * {@code sleep}: payload {@code {"ms": N, "steps": K}} (steps default 1). Sleeps N ms in K equal
 * steps and checkpoints after each, the model of a long job: stopped half-way, it resumes from
 * its last completed step, and its result says from which step it resumed.
 */
@ApplicationScoped
@JobType("sleep")
public class SleepJob implements JobHandler {

    static final long MAX_MS = 3_600_000;
    static final int MAX_STEPS = 10_000;

    /** The payload. */
    public record Request(Long ms, Integer steps) {
    }

    /** Saved after each completed step. */
    public record Checkpoint(int step) {
    }

    /** The result. */
    public record Result(long sleptMs, int steps, int resumedFromStep) {
    }

    @Override
    public Object handle(JobContext job) throws InterruptedException {
        Request request = job.payloadAs(Request.class);
        if (request == null || request.ms() == null || request.ms() < 0 || request.ms() > MAX_MS) {
            throw new NonRetryableJobException("payload.ms must be a whole number from 0 to " + MAX_MS);
        }
        int steps = request.steps() == null ? 1 : request.steps();
        if (steps < 1 || steps > MAX_STEPS) {
            throw new NonRetryableJobException("payload.steps must be a whole number from 1 to " + MAX_STEPS);
        }
        Duration step = Duration.ofMillis(request.ms() / steps);
        int resumedFrom = job.lastCheckpoint(Checkpoint.class).map(Checkpoint::step).orElse(0);
        if (resumedFrom > 0) {
            job.log().info("resuming from step " + resumedFrom + " of " + steps);
        }
        for (int done = resumedFrom; done < steps; done++) {
            if (job.awaitCancellation(step)) {
                throw new CancellationException("sleep cancelled after step " + done + " of " + steps);
            }
            job.checkpoint(new Checkpoint(done + 1));
            job.progress((done + 1) * 100 / steps);
        }
        return new Result(request.ms(), steps, resumedFrom);
    }
}
