package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * One line a handler wrote through {@code JobLog}, as the job keeps it.
 *
 * @param attempt the attempt that wrote it (a retry's lines follow the failed attempt's)
 * @param level   {@code INFO}, {@code WARNING} or {@code ERROR}
 */
public record LogLine(Instant at, int attempt, String level, String message) {
}
