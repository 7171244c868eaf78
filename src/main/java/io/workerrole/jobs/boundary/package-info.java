/**
 * Jobs at the boundary: the HTTP API ({@code /api/jobs}, and {@code /api/fleet/limits} where
 * admins limit a job type across the fleet), the job message listener (the MDB on
 * {@code worker.jobs}), the job store's health check, the gauges at {@code /metrics} (the backlog,
 * and each type's queue for an autoscaler: {@code TypeGauges}), jobs from the application's code, and the
 * front door the other capabilities use ({@code JobService}, {@code JobFigures},
 * {@code JobsInTransaction}, and the interfaces other capabilities implement for jobs: pipelines'
 * starts and step ends, servers' {@code FleetTypes}).
 */
package io.workerrole.jobs.boundary;
