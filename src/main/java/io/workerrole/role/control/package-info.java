/**
 * The role's logic: start and stop hooks, when a start may run under the freeze flag, the
 * supervision of background tasks with backoff, the freeze switch, and settled values of
 * settings Liberty shows at their defaults while it stops.
 */
package io.workerrole.role.control;
