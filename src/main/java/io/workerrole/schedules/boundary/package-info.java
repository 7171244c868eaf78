/**
 * Schedules at the boundary: {@code /api/schedules} (create, change, pause, resume, delete, and
 * the history of firings), the JSON of schedules and firings, and the front door the other
 * capabilities use ({@code ScheduleService}).
 */
package io.workerrole.schedules.boundary;
