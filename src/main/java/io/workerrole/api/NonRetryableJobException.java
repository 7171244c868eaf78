package io.workerrole.api;

/**
 * Thrown by a {@link JobHandler} when trying again cannot help (invalid input, a missing file):
 * the job ends {@link JobState#DEAD} at once with this message, without further attempts.
 */
public class NonRetryableJobException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonRetryableJobException(String message) {
        super(message);
    }

    public NonRetryableJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
