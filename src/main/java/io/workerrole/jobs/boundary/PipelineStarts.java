package io.workerrole.jobs.boundary;

import io.workerrole.platform.CallerTransaction;

/**
 * Starts the pipeline runs the application's code asks {@code Jobs.startPipeline} for. The jobs
 * package calls it through this interface (it does not know pipelines): the pipelines package
 * implements it.
 */
public interface PipelineStarts {

    /**
     * Starts a run, in the caller's JTA transaction when one is active; a second start with the
     * same key in the same scope is the first run.
     *
     * @param payload the run's payload as JSON text
     * @param idempotencyScope whose the key is: the caller's (see IdempotencyScope)
     * @return the run's id
     * @throws IllegalArgumentException naming the pipeline and what is wrong, if the run cannot start
     */
    String start(String pipeline, String payload, String idempotencyScope, String idempotencyKey, CallerTransaction transaction);
}
