/**
 * Servers' values: one server's status as its last heartbeat recorded it.
 */
package io.workerrole.servers.entity;
