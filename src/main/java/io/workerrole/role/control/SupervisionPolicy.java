package io.workerrole.role.control;

import io.workerrole.platform.Backoff;

import java.time.Duration;

/**
 * The settings that govern supervision, read afresh on every supervisor tick so that admins can
 * change them on a running server.
 *
 * @param stoppingWaitTime how long a task asked to stop may run on before it is interrupted
 * @param backoff delays between restarts of a failing task, by its failures in a row
 * @param maxConsecutiveFailures failures in a row after which a task is given up; 0 = never
 * @param singletonLease how long the lease of a singleton task lasts without renewal
 */
public record SupervisionPolicy(Duration stoppingWaitTime, Backoff backoff, int maxConsecutiveFailures,
                                Duration singletonLease) {
}
