/**
 * Jobs' logic: intake and validation of job messages, the job store (recording, claims,
 * outcomes, leases, retention), the dispatcher and runner, retries, dead letters, and the
 * notices (replies, callbacks) a finished job owes.
 */
package io.workerrole.jobs.control;
