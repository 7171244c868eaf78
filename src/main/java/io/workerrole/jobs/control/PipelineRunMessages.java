package io.workerrole.jobs.control;

/**
 * Starts pipeline runs asked for by job messages ({@code {"pipeline": "NAME", "payload": ...}}).
 * The jobs package hands such messages over through this interface (it does not know
 * pipelines): the pipelines package implements it.
 */
public interface PipelineRunMessages {

    /** @return whether the message's body asks for a pipeline run rather than a job */
    boolean isRunRequest(String body);

    /**
     * Starts the run, once per message: a redelivered message starts no second run.
     *
     * @throws IllegalArgumentException with the reason, when the run cannot start (the message is then rejected)
     */
    void start(String body, String messageId);
}
