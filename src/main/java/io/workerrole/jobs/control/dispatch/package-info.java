/**
 * Running jobs on this server: the dispatcher that claims what is due
 * ({@link io.workerrole.jobs.control.dispatch.JobDispatcher}: the backlog waits in the store, not
 * in memory), the runner and a running job's context, leases kept while jobs run and taken back
 * after a crash, this server's presence in the job store and the takeover of dead servers' jobs
 * within seconds ({@link io.workerrole.jobs.control.dispatch.PresenceKeeper}), retries, cancellations, handlers' log lines, and the wake-ups servers send each
 * other.
 */
package io.workerrole.jobs.control.dispatch;
