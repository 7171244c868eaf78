/**
 * The role's values: its phases, the states and status of its tasks, and the holds operators put on the fleet.
 */
package io.workerrole.role.entity;
