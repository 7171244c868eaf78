/**
 * The job store, one store per concern:
 * {@link io.workerrole.jobs.control.store.JobRecorder} records new jobs,
 * {@link io.workerrole.jobs.control.store.JobClaims} claims them with a
 * {@link io.workerrole.jobs.control.store.ClaimStrategy} per database, within the fleet-wide limits
 * of job types that {@link io.workerrole.jobs.control.store.TypeLimitStore} keeps (a row per limited
 * type: the lock its claims take turns under, its token bucket, the values set over the API),
 * {@link io.workerrole.jobs.control.store.JobOutcomes} records what their runs did,
 * {@link io.workerrole.jobs.control.store.JobLeases} keeps and takes back leases,
 * {@link io.workerrole.jobs.control.store.JobCancels} and
 * {@link io.workerrole.jobs.control.store.JobRequeues} cancel and requeue for admins,
 * {@link io.workerrole.jobs.control.store.JobQueries} and
 * {@link io.workerrole.jobs.control.store.JobStatistics} read,
 * {@link io.workerrole.jobs.control.store.JobLogs} keeps handlers' log lines,
 * {@link io.workerrole.jobs.control.store.NoticeStore} the notices jobs owe, and
 * {@link io.workerrole.jobs.control.store.JobRows} and {@link io.workerrole.jobs.control.store.JobHistory}
 * hold the tables' one column list and mapper.
 *
 * <p>The job store is the source of truth for every job's state, on plain JDBC. Each change of
 * state and its history entry are written in one transaction, and only the changes
 * {@link io.workerrole.jobs.entity.JobStateMachine} lists are made. Updates of a running job are
 * fenced by its owner, so a server that lost a job (its lease lapsed and another server took
 * it) cannot overwrite the new owner's work.
 */
package io.workerrole.jobs.control.store;
