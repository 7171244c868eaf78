package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.time.Instant;
import java.util.Map;

/**
 * The unfinished part of the job store at one moment, and its dead jobs.
 *
 * @param counts jobs by state, for QUEUED, SCHEDULED, RUNNING, FAILED (waiting for a retry) and DEAD; a state without jobs is absent
 * @param oldestQueued since when the queued job that has waited longest could run, or null if none is queued
 */
public record Backlog(Map<JobState, Long> counts, Instant oldestQueued) {

    public Backlog {
        counts = Map.copyOf(counts);
    }

    /** @return how many jobs are in this state (0 for states the backlog does not count) */
    public long count(JobState state) {
        return counts.getOrDefault(state, 0L);
    }
}
