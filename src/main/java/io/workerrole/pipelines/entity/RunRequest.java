package io.workerrole.pipelines.entity;

/**
 * A request to start a run of a pipeline, from any way in.
 *
 * @param payload the first step's payload, as JSON text
 * @param idempotencyKey one run per key; null for none
 */
public record RunRequest(String pipeline, String payload, String idempotencyKey) {
}
