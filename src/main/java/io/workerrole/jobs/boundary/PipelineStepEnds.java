package io.workerrole.jobs.boundary;

/**
 * Hears that a job started by a pipeline run has ended, so that the run goes on. The jobs
 * package calls it through this interface (it does not know pipelines): the pipelines package
 * implements it. It is told through the job's notices, durably: a failure here (the store
 * unavailable) is retried like a failed reply, and a server dying before telling it leaves the
 * notice owed for another server.
 */
public interface PipelineStepEnds {

    /**
     * The job, a step or a compensation of a pipeline run, has ended: its run goes on from it,
     * and the job's PIPELINE notice is deleted in the same transaction.
     */
    void stepEnded(String jobId) throws Exception;
}
