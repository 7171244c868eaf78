package io.workerrole.api;

import java.util.List;
import java.util.Optional;

/**
 * Enqueues jobs from Java, and reads them back: a handler starting a follow-up job, or any bean
 * of the application handing work to the worker. Inject it: {@code @Inject Jobs jobs;}.
 *
 * <pre>{@code
 * String id = jobs.enqueue("thumbnail", Map.of("path", "in/cat.png"));
 * String other = jobs.enqueue(JobSpec.of("thumbnail").payload(image).priority(7).idempotencyKey("cat-7").build());
 * }</pre>
 *
 * <p>A job from code is judged like a job message (the same limits and rules): a job that a
 * message could not carry is refused with {@link IllegalArgumentException}, whose message says
 * why, and nothing is recorded.
 *
 * <p><b>Transactions.</b> Called inside a JTA transaction, the jobs are written in that
 * transaction: they exist, and start, only if it commits, and a rollback leaves none behind.
 * Outside a transaction each call is its own: when it returns, the jobs are recorded. (The
 * worker's data source takes part in the caller's transaction as its one-phase resource; a
 * transaction that also writes to an XA resource needs Liberty's last participant support,
 * {@code <transaction acceptHeuristicHazard="true"/>}.)
 */
public interface Jobs {

    /**
     * Enqueues a job with default options.
     *
     * @param payload the payload: a {@link jakarta.json.JsonValue} as it is, anything else bound to
     *                JSON with JSON-B, null for none
     * @return the job's id
     */
    String enqueue(String type, Object payload);

    /**
     * Enqueues a job; if it carries an idempotency key that an earlier job has, nothing new is
     * recorded and the earlier job's id is returned.
     *
     * @return the job's id
     */
    String enqueue(JobSpec job);

    /**
     * Enqueues many jobs at once, in as few transactions as the job store allows: far cheaper
     * than one call each. All are checked before any is recorded.
     *
     * @return the jobs' ids, in order
     * @throws IllegalArgumentException naming the first unacceptable job (by its index); then none is recorded
     */
    List<String> enqueueAll(List<JobSpec> jobs);

    /**
     * Starts a run of a {@link Pipeline}, declared in code or posted to {@code /api/pipelines}.
     * Inside a JTA transaction the run (and its first step's job) exists only if it commits.
     *
     * @param payload the first step's payload, as for {@link #enqueue(String, Object)}
     * @return the run's id
     * @throws IllegalArgumentException if there is no such pipeline or the payload cannot be bound to JSON
     */
    default String startPipeline(String pipeline, Object payload) {
        return startPipeline(pipeline, payload, null);
    }

    /**
     * Starts a run of a {@link Pipeline}, once per idempotency key: if a run with that key
     * exists, nothing new starts and its id is returned.
     *
     * @param idempotencyKey null for none
     * @return the run's id
     */
    String startPipeline(String pipeline, Object payload, String idempotencyKey);

    /**
     * Cancels a job. One that waits (queued, scheduled, or failed and waiting for its retry) is
     * cancelled at once and never runs; a running one's handler sees {@link JobContext#cancelled()}
     * (and is interrupted after the stopping wait time) and the job ends CANCELLED when it returns.
     *
     * @return false if the job had already finished
     * @throws java.util.NoSuchElementException if there is no job with that id
     */
    boolean cancel(String id);

    /** @return the job as the job store holds it now, if there is one with that id */
    Optional<JobInfo> find(String id);
}
