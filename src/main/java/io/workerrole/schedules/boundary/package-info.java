/**
 * Schedules at the boundary: {@code /api/schedules} (create, change, pause, resume, delete, and
 * the history of firings) and the JSON of schedules and firings.
 */
package io.workerrole.schedules.boundary;
