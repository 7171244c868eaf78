package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * The queued jobs of one type: how many wait, and since when the one that waited longest could run.
 *
 * @param oldest when the oldest queued job of the type became due
 */
public record QueueDepth(String type, long queued, Instant oldest) {
}
