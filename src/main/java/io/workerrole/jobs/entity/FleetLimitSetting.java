package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * A fleet-wide limit on a job type as an admin set it over the API ({@code PUT /api/fleet/limits/TYPE}):
 * its values win over each server's {@code worker.limits.TYPE.*}, field by field.
 *
 * @param concurrency null: not set over the API
 * @param perSecond null: not set over the API
 */
public record FleetLimitSetting(String type, Integer concurrency, Double perSecond, String setBy, Instant setAt) {
}
