package io.workerrole.jobs.boundary;

/**
 * Starts pipeline runs asked for by job messages ({@code {"pipeline": "NAME", "payload": ...}}).
 * The jobs package hands every message over through this interface (it does not know
 * pipelines): the pipelines package implements it.
 */
public interface PipelineRunMessages {

    /**
     * Starts the run the message's body asks for, once per message: a redelivered message starts
     * no second run.
     *
     * @param idempotencyScope whose the message's idempotency key is: its sender's (see IdempotencyScope)
     * @return false if the body does not ask for a run (it is a job message, or no JSON at all)
     * @throws IllegalArgumentException with the reason, when it asks for a run that cannot start (the message is then rejected)
     */
    boolean startIfRunRequest(String body, String messageId, String idempotencyScope);
}
