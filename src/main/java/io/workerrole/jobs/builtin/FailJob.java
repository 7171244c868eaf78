package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;

/**
 * {@code fail}: payload {@code {"message": "...", "times": n}}, both optional. Without
 * {@code times} it always throws a retryable {@link IllegalStateException} with the message, so
 * it is retried until its attempts are used up and ends DEAD. With {@code times} (0 or more) it
 * throws on attempts 1 to n and then succeeds with {@code {"attempts": a}}. For trying retries,
 * dead letters and alerts.
 */
@ApplicationScoped
@JobType("fail")
public class FailJob implements JobHandler {

    static final String DEFAULT_MESSAGE = "fail job failed as asked";

    /** The payload. {@code times} is bound as a decimal so that 1.5 is refused, not truncated. */
    public record Request(String message, BigDecimal times) {
    }

    /** The result, once it stops failing. */
    public record Result(int attempts) {
    }

    @Override
    public Object handle(JobContext job) {
        Request request = job.payloadAs(Request.class);
        String message = request == null || request.message() == null ? DEFAULT_MESSAGE : request.message();
        if (request == null || request.times() == null) {
            throw new IllegalStateException(message);
        }
        int failing = (int) PayloadNumbers.wholeNumber(request.times(), "times", 0, Integer.MAX_VALUE);
        if (job.attempt() <= failing) {
            throw new IllegalStateException(message + " (attempt " + job.attempt() + " of " + failing + " failing)");
        }
        return new Result(job.attempt());
    }
}
