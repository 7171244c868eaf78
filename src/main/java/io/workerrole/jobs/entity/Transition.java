package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.time.Instant;

/**
 * One entry of a job's history.
 *
 * @param detail why, for failures and rejections; otherwise null
 */
public record Transition(JobState state, Instant at, String detail) {
}
