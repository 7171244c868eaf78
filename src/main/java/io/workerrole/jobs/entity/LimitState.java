package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * What a claim found of a limited job type under its lock: how many of its jobs ran across the
 * fleet and how many starts its bucket allowed, before it took any. Kept in memory to say why a
 * job of the type waits.
 *
 * @param running its RUNNING jobs in the store (-1 when it has no concurrency limit and they were not counted)
 * @param startsAllowed the whole tokens of its bucket (Integer.MAX_VALUE without a rate)
 * @param taken how many this claim started
 * @param bucketFullAt when its bucket is full again if no job of the type starts meanwhile (null without a rate):
 *        a claim then loses no start however long it waits, and one later loses some
 */
public record LimitState(String type, TypeLimit limit, int running, int startsAllowed, int taken, Instant at, Instant bucketFullAt) {

    /** @return whether the type had no room left for another job at the claim because of its concurrency */
    public boolean atConcurrency() {
        return limit.concurrency() != null && running + taken >= limit.concurrency();
    }

    /** @return whether the type had no start left at the claim because of its rate */
    public boolean atRate() {
        return limit.perSecond() != null && startsAllowed - taken <= 0;
    }
}
