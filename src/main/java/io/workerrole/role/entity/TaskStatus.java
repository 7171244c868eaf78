package io.workerrole.role.entity;

/**
 * A snapshot of one supervised task for health reports and logs.
 *
 * @param name the task's name
 * @param state its state
 * @param starts how many times it has been started
 * @param restarts how many of those starts followed a failure
 * @param lastError the last failure's message, or null
 */
public record TaskStatus(String name, TaskState state, int starts, int restarts, String lastError) {
}
