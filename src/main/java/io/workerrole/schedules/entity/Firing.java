package io.workerrole.schedules.entity;

import java.time.Instant;

/**
 * One entry of a schedule's history.
 *
 * @param seq the entry's position in the history, for paging
 * @param scope "*" for a singleton schedule, else the id of the server that fired
 * @param scheduledFor the instant the firing was due
 * @param recordedAt when the server recorded it (its lateness is recordedAt - scheduledFor)
 * @param jobId the job it started, or null
 * @param server the server that recorded it
 * @param detail why it was skipped or missed, or null
 */
public record Firing(long seq, String scheduleName, String scope, Instant scheduledFor, Instant recordedAt,
                     FiringOutcome outcome, String jobId, String server, String detail) {
}
