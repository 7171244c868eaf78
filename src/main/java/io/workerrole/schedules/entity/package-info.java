/**
 * Schedules' values: definitions, kinds, origins, firings and their outcomes.
 */
package io.workerrole.schedules.entity;
