package io.workerrole.schedules.entity;

import io.workerrole.api.MissedFirings;

import java.time.Duration;
import java.time.Instant;

/**
 * What a schedule does and when, as declared; validated (see ScheduleSpecs).
 *
 * @param cron the cron expression, for CRON
 * @param zone the cron expression's time zone id, for CRON
 * @param interval the rate (FIXED_RATE), the delay (FIXED_DELAY), or for ONCE the delay after
 *        the schedule was first stored when no {@code startAt} is given
 * @param startAt FIXED_RATE: the grid's anchor; FIXED_DELAY: the first firing; ONCE: the
 *        instant; null for "from when the schedule was first stored"
 * @param payload the jobs' payload as JSON text
 */
public record ScheduleDefinition(
        String name,
        ScheduleKind kind,
        String cron,
        String zone,
        Duration interval,
        Instant startAt,
        String jobType,
        String payload,
        int priority,
        boolean singleton,
        MissedFirings missed,
        ScheduleOrigin origin) {
}
