package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * The dead jobs of one type that died of the same error: what an operator looks at first, and
 * requeues together once the cause is mended.
 *
 * @param error the error they died of, or null
 * @param latest when the last of them died
 */
public record DeadGroup(String type, String error, long count, Instant latest) {
}
