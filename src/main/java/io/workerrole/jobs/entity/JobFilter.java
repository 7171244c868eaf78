package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.time.Instant;

/**
 * Which jobs a listing (or a requeue of dead jobs) takes; null fields do not filter.
 *
 * @param idempotencyKey the jobs with this key, one per caller (what a producer knows of the job it sent)
 * @param from           only jobs recorded at or after this instant
 * @param to             only jobs recorded before this instant
 * @param errorContains  only jobs whose error holds this text, in any case
 * @param error          only jobs whose error is exactly this (a group of dead letters)
 */
public record JobFilter(JobState state, String type, String idempotencyKey, Instant from, Instant to,
                        String errorContains, String error) {

    /** A filter on the fields a job's sender knows. */
    public JobFilter(JobState state, String type, String idempotencyKey) {
        this(state, type, idempotencyKey, null, null, null, null);
    }

    /** @return every job of the type */
    public static JobFilter ofType(String type) {
        return new JobFilter(null, type, null);
    }
}
