package io.workerrole.api;

import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.Optional;

/** A running job as its {@link JobHandler} sees it. */
public interface JobContext {

    /** @return the job's id */
    String jobId();

    /** @return the job's type */
    String type();

    /** @return which attempt this is: 1 for the first run, 2 for the first retry, ... */
    int attempt();

    /** @return the payload as sent ({@link JsonValue#NULL} when there was none) */
    JsonValue payload();

    /**
     * Binds the payload to a Java type with JSON-B.
     *
     * @throws NonRetryableJobException if the payload does not fit the type
     */
    <T> T payloadAs(Class<T> type);

    /**
     * Records progress, shown by the status API.
     *
     * @param percent 0 to 100
     */
    void progress(int percent);

    /**
     * Saves the job's state in the job store at once (as JSON, via JSON-B). A job that runs
     * again after a restart, a crash or a retry gets it back from {@link #lastCheckpoint(Class)}.
     */
    void checkpoint(Object state);

    /** @return the last saved checkpoint, bound to the given type, if any */
    <T> Optional<T> lastCheckpoint(Class<T> type);

    /**
     * @return true once the job should stop: the worker is stopping or frozen and the wait is
     *         over, or the job was cancelled. Checkpoint and return (or throw) promptly.
     */
    boolean cancelled();

    /**
     * Waits for the given time or until the job is cancelled, whichever comes first.
     *
     * @return true if cancelled
     * @throws InterruptedException if the thread is interrupted
     */
    boolean awaitCancellation(Duration timeout) throws InterruptedException;

    /** @return a log whose lines carry the job's id and type */
    JobLog log();
}
