package io.workerrole.schedules.entity;

/** A change to a schedule that its state or its owner does not allow (HTTP 409). */
public class ScheduleConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ScheduleConflictException(String reason) {
        super(reason);
    }
}
