package io.workerrole.schedules.entity;

import io.workerrole.platform.rest.ConflictException;

/** A change to a schedule that its state or its owner does not allow (HTTP 409). */
public class ScheduleConflictException extends ConflictException {

    private static final long serialVersionUID = 1L;

    public ScheduleConflictException(String reason) {
        super(reason);
    }
}
