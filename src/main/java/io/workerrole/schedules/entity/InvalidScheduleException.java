package io.workerrole.schedules.entity;

/** A schedule definition that cannot be accepted, with the reason to give its author. */
public class InvalidScheduleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    /** A definition that reads but does not make sense: 422. */
    public InvalidScheduleException(String reason) {
        this(422, reason);
    }

    public InvalidScheduleException(int httpStatus, String reason) {
        super(reason);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
