/**
 * Schedules' logic: definitions from server.xml, code ({@code @Scheduled}) and the API, their
 * timetables (cron, fixed rate, fixed delay, one-shot) armed on the managed scheduled executor,
 * and the store of schedules and firings, whose unique claim makes a singleton fire once.
 */
package io.workerrole.schedules.control;
