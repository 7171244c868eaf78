package io.workerrole.jobs.entity;

/**
 * What a job type added while the worker runs asks of its jobs, where the settings
 * ({@code worker.retry.maxAttempts}, the request's priority) would otherwise decide.
 *
 * @param maxAttempts how many times its jobs are attempted; null for the worker's settings
 * @param priority the priority of its jobs whose request names none; null for the usual
 */
public record JobTypeDefaults(Integer maxAttempts, Integer priority) {
}
