package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * {@code sleep}: payload {@code {"ms": N, "steps": K}} (ms from 0 to 3600000; steps from 1 to
 * 10000, default 1). Sleeps N ms in K equal steps, waiting on the job's cancellation rather than
 * {@code Thread.sleep}, and checkpoints and reports progress after each step: the model of a
 * long job. Stopped half-way (cancelled, or the worker stopping), it throws and is run again
 * later from its last completed step. The result is {@code {"sleptMs": N, "steps": K,
 * "resumedFromStep": s}}, s being the step this run started from (0 for a fresh run).
 */
@ApplicationScoped
@JobType("sleep")
public class SleepJob implements JobHandler {

    static final long MAX_MS = 3_600_000;
    static final int MAX_STEPS = 10_000;

    /** The payload. Numbers are bound as decimals so that 1.5 or 1e12 is refused, not truncated. */
    public record Request(BigDecimal ms, BigDecimal steps) {
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
        if (request == null || request.ms() == null) {
            throw new NonRetryableJobException("payload.ms is required: a whole number from 0 to " + MAX_MS);
        }
        long ms = PayloadNumbers.wholeNumber(request.ms(), "ms", 0, MAX_MS);
        int steps = request.steps() == null ? 1 : (int) PayloadNumbers.wholeNumber(request.steps(), "steps", 1, MAX_STEPS);
        int resumedFrom = job.lastCheckpoint(Checkpoint.class)
                .map(c -> Math.max(0, Math.min(c.step(), steps)))
                .orElse(0);
        if (resumedFrom > 0) {
            job.log().info("resuming from step " + resumedFrom + " of " + steps);
        }
        for (int done = resumedFrom; done < steps; done++) {
            // step i ends at i*ms/steps, so the steps differ by at most 1 ms and add up to ms
            Duration step = Duration.ofMillis(ms * (done + 1) / steps - ms * done / steps);
            if (job.awaitCancellation(step)) {
                throw new CancellationException("sleep cancelled after step " + done + " of " + steps);
            }
            job.checkpoint(new Checkpoint(done + 1));
            job.progress((done + 1) * 100 / steps);
        }
        return new Result(ms, steps, resumedFrom);
    }
}
