package io.workerrole.platform.rest;

/**
 * A request that the current state of what it names does not allow: requeueing a job that is
 * not dead, replacing a pipeline or a schedule declared in code, creating a name that exists.
 * The API answers 409 with the message, which says what is in the way.
 */
public class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String reason) {
        super(reason);
    }
}
