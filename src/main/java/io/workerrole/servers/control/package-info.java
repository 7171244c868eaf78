/**
 * Servers' logic: the heartbeat each server writes to the job store every third of the lease,
 * and the store of heartbeats, which forgets servers not seen for a day.
 */
package io.workerrole.servers.control;
