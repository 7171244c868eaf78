package io.workerrole.pipelines.control;

/** A pipeline, or a run's start, that cannot be accepted; the message says why. */
public class InvalidPipelineException extends RuntimeException {

    public InvalidPipelineException(String message) {
        super(message);
    }

    public InvalidPipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
