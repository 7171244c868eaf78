package io.workerrole.api;

/**
 * Runs jobs of one type. Make it a CDI bean (for example {@code @ApplicationScoped}) annotated
 * with {@link JobType}; it may live in the WAR or in a jar on a Liberty shared library.
 *
 * <p>A handler may be called again for the same job: after a failure (a retry), or after the
 * server stopped or died while it ran. Long handlers call {@link JobContext#checkpoint(Object)}
 * and start from {@link JobContext#lastCheckpoint(Class)}, and make their side effects
 * idempotent.
 */
@FunctionalInterface
public interface JobHandler {

    /**
     * Runs one job.
     *
     * @param job the job's payload, progress, checkpoint and cancellation
     * @return the result, stored and returned to the caller as JSON (via JSON-B); null for none
     * @throws NonRetryableJobException when retrying cannot help: the job ends DEAD at once
     * @throws Exception any other failure: the job is retried with backoff until its attempts
     *         run out, then ends DEAD
     */
    Object handle(JobContext job) throws Exception;
}
