package io.workerrole.platform;

/** A store (of jobs, notices, schedules) could not be read or written: the database is down, say. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
