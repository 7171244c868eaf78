/**
 * Servers' logic: the heartbeat each server writes to the job store every third of the lease
 * (with its role, version and job types), the store of heartbeats, which forgets servers not
 * seen for a day, and the job types the live servers run, which jobs asks for through its
 * {@code FleetTypes}.
 */
package io.workerrole.servers.control;
