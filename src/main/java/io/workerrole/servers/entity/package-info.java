/**
 * Servers' values: one server's status as its last heartbeat recorded it, and what it is deployed as (its role, version and job types).
 */
package io.workerrole.servers.entity;
