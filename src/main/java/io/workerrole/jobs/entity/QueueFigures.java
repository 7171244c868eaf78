package io.workerrole.jobs.entity;

import java.time.Duration;
import java.time.Instant;

/**
 * What an autoscaler reads of the jobs of one type, or of several types together (a role's):
 * the work waiting and in hand across every server of the job store.
 *
 * @param queued       jobs due now (QUEUED): waiting only for a free slot, their turn in a sequence or a freeze to lift
 * @param delayed      jobs not due yet: SCHEDULED for a later run time, or FAILED and waiting for their retry
 * @param running      jobs running on any server
 * @param oldestQueued since when the queued job that has waited longest could run, or null if none is queued
 */
public record QueueFigures(long queued, long delayed, long running, Instant oldestQueued) {

    /** No jobs at all. */
    public static final QueueFigures NONE = new QueueFigures(0, 0, 0, null);

    /** @return these figures and the other's together, as for the types of one role: counts add up, the oldest is the older */
    public QueueFigures plus(QueueFigures other) {
        Instant oldest = oldestQueued == null ? other.oldestQueued
                : other.oldestQueued == null || oldestQueued.isBefore(other.oldestQueued) ? oldestQueued : other.oldestQueued;
        return new QueueFigures(queued + other.queued, delayed + other.delayed, running + other.running, oldest);
    }

    /** @return how long the oldest queued job has waited at {@code now}, in seconds (0 when none is queued) */
    public double oldestWaitSeconds(Instant now) {
        return oldestQueued == null ? 0 : Math.max(0, Duration.between(oldestQueued, now).toMillis() / 1000.0);
    }
}
