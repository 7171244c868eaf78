package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.time.Instant;
import java.util.Map;

/**
 * How many jobs ended in one minute, by the state they ended in.
 *
 * @param minute the minute's start
 * @param counts by final state (SUCCEEDED, DEAD, CANCELLED, REJECTED); a state without jobs is absent
 */
public record FinishedMinute(Instant minute, Map<JobState, Long> counts) {

    public FinishedMinute {
        counts = Map.copyOf(counts);
    }

    public long count(JobState state) {
        return counts.getOrDefault(state, 0L);
    }
}
