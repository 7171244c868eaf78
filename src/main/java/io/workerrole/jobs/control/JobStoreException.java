package io.workerrole.jobs.control;

/** The job store could not be read or written (the database is down, say). */
public class JobStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
