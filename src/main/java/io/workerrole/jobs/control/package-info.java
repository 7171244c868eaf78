/**
 * Jobs' logic, split by concern into packages of its own: {@code intake} (job messages and
 * requests in, checked and recorded), {@code store} (the job store, one store per concern),
 * {@code dispatch} (claiming and running jobs on this server, leases, retries, wake-ups),
 * {@code notices} (the replies, callbacks and pipeline notices a finished job owes) and
 * {@code retention} (deleting finished jobs). Here: what all of them use — the job settings,
 * the known job types and their handlers ({@link io.workerrole.jobs.control.HandlerRegistry}),
 * the types this server runs by its role and those the fleet runs, the fleet-wide limits in force
 * on types ({@link io.workerrole.jobs.control.FleetLimits}), why a queued job waits,
 * the state-change events and metrics, the backlog the gauges read ({@code RecentBacklog}), the
 * JSON of a job, and the requeue of dead letters.
 */
package io.workerrole.jobs.control;
