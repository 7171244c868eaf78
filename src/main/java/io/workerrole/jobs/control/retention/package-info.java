/** Deleting finished jobs, with their history and notices, after the retention admins set: one server at a time, under a lease. */
package io.workerrole.jobs.control.retention;
