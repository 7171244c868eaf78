/**
 * Running jobs on this server: the dispatcher that claims what is due
 * ({@link io.workerrole.jobs.control.dispatch.JobDispatcher}: the backlog waits in the store, not
 * in memory), the runner and a running job's context, leases kept while jobs run and taken back
 * after a crash, retries, cancellations, handlers' log lines, and the wake-ups servers send each
 * other.
 */
package io.workerrole.jobs.control.dispatch;
