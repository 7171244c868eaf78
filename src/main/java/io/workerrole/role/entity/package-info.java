/**
 * The role's values: its phases, and the states and status of its tasks.
 */
package io.workerrole.role.entity;
