/**
 * Jobs' logic: intake and validation of job messages; the job store, one store per concern
 * ({@link io.workerrole.jobs.control.JobRecorder} records new jobs,
 * {@link io.workerrole.jobs.control.JobClaims} claims them with a
 * {@link io.workerrole.jobs.control.ClaimStrategy} per database,
 * {@link io.workerrole.jobs.control.JobOutcomes} records what their runs did,
 * {@link io.workerrole.jobs.control.JobLeases} keeps and takes back leases,
 * {@link io.workerrole.jobs.control.JobRequeues} requeues for admins,
 * {@link io.workerrole.jobs.control.JobQueries} reads, and
 * {@link io.workerrole.jobs.control.JobRows} and {@link io.workerrole.jobs.control.JobHistory}
 * hold the tables' one column list and mapper), retention; the dispatcher and runner, retries,
 * dead letters, and the notices (replies, callbacks) a finished job owes.
 *
 * <p>The job store is the source of truth for every job's state, on plain JDBC. Each change of
 * state and its history entry are written in one transaction. Updates of a running job are
 * fenced by its owner, so a server that lost a job (its lease lapsed and another server took
 * it) cannot overwrite the new owner's work.
 */
package io.workerrole.jobs.control;
