package io.workerrole.api;

import java.time.Instant;

/**
 * CDI event fired when an admin toggles the {@code worker.freeze} flag. Components that take
 * in work (message endpoints, schedules) observe it to pause and resume.
 *
 * @param frozen the new state of the flag
 * @param at when the worker noticed the change
 */
public record FreezeChanged(boolean frozen, Instant at) {
}
