package io.workerrole.schedules.entity;

import java.time.Instant;

/**
 * A stored schedule: its definition and its state.
 *
 * @param version raised by every change (definition, pause, resume), so that servers notice
 *        changes and a firing armed for an older version is dropped
 * @param createdAt when it was first stored: the start of its timetable unless the definition
 *        gives one
 */
public record Schedule(ScheduleDefinition definition, boolean paused, long version, Instant createdAt, Instant updatedAt) {

    public String name() {
        return definition.name();
    }

    /** @return the scope firings are claimed in: one for all servers, or one per server */
    public String scope(String serverId) {
        return definition.singleton() ? "*" : serverId;
    }
}
