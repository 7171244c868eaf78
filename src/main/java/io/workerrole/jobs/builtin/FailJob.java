package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code fail}: payload {@code {"message": "...", "times": n}}. Throws for the first n attempts,
 * then succeeds with {@code {"attempts": a}}; without {@code times} it always throws, so it ends
 * DEAD once its attempts are used up. For trying retries, dead letters and alerts.
 */
@ApplicationScoped
@JobType("fail")
public class FailJob implements JobHandler {

    static final String DEFAULT_MESSAGE = "fail job failed as asked";

    /** The payload. */
    public record Request(String message, Integer times) {
    }

    /** The result, once it stops failing. */
    public record Result(int attempts) {
    }

    @Override
    public Object handle(JobContext job) {
        Request request = job.payloadAs(Request.class);
        String message = request == null || request.message() == null ? DEFAULT_MESSAGE : request.message();
        Integer times = request == null ? null : request.times();
        if (times == null) {
            throw new IllegalStateException(message);
        }
        if (times < 0) {
            throw new NonRetryableJobException("payload.times must be 0 or more");
        }
        if (job.attempt() <= times) {
            throw new IllegalStateException(message + " (attempt " + job.attempt() + " of " + times + " failing)");
        }
        return new Result(job.attempt());
    }
}
