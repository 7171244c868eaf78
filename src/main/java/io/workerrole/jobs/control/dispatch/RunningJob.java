package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobLog;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.jobs.control.store.JobOutcomes;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.LogLine;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;

import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.workerrole.platform.SharedJson.JSON;

/** A claimed job while its handler runs: the handler's {@link JobContext}. */
public final class RunningJob implements JobContext {

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    private final Job job;
    private final String owner;
    private final JobOutcomes outcomes;
    private final Jsonb jsonb;
    private final CountDownLatch cancellation = new CountDownLatch(1);
    private final JobLog log;
    private final PendingLogLines pendingLines;
    private volatile String checkpoint;
    private volatile Future<?> execution;
    /** Whether an operator or the application cancelled the job (not: the worker stops under it). */
    private volatile boolean cancelRequested;
    private final Object handlerLock = new Object();
    private boolean inHandler;

    /** @param logLines how many of the lines its handler logs the job keeps (worker.jobs.logLines) */
    RunningJob(Job job, String owner, JobOutcomes outcomes, Jsonb jsonb, Clock clock, int logLines) {
        this.job = job;
        this.owner = owner;
        this.outcomes = outcomes;
        this.jsonb = jsonb;
        this.checkpoint = job.checkpoint();
        this.pendingLines = new PendingLogLines(logLines);
        this.log = new KeptLog("[job " + job.id() + " " + job.type() + "] ", job.attempts(), clock, pendingLines);
    }

    public Job job() {
        return job;
    }

    void runsOn(Future<?> execution) {
        this.execution = execution;
    }

    /**
     * Asks the handler to stop; with {@code interrupt}, interrupts its thread too, but only while
     * the handler runs: once it has returned, the thread records the outcome in the job store,
     * and an interrupt there would break the database connection (Derby closes it).
     */
    void cancel(boolean interrupt) {
        cancellation.countDown();
        if (interrupt) {
            synchronized (handlerLock) {
                Future<?> current = execution;
                if (inHandler && current != null) {
                    current.cancel(true);
                }
            }
        }
    }

    /**
     * The job is cancelled while it runs: the handler sees {@link #cancelled()}, and the job
     * ends CANCELLED when it returns, whatever it returns.
     */
    void requestCancel() {
        cancelRequested = true;
        cancellation.countDown();
    }

    /** @return true if the job was cancelled (rather than asked to stop by a stopping worker) */
    boolean cancelRequested() {
        return cancelRequested;
    }

    /** Marks the handler as running on this job's thread: it may be interrupted. */
    void enterHandler() {
        synchronized (handlerLock) {
            inHandler = true;
        }
    }

    /** Marks the handler as returned: no interrupt reaches the thread after this. */
    void leaveHandler() {
        synchronized (handlerLock) {
            inHandler = false;
        }
    }

    @Override
    public String jobId() {
        return job.id();
    }

    @Override
    public String type() {
        return job.type();
    }

    @Override
    public int attempt() {
        return job.attempts();
    }

    @Override
    public JsonValue payload() {
        if (job.payload() == null) {
            return JsonValue.NULL;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(job.payload()))) {
            return reader.readValue();
        }
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        try {
            return jsonb.fromJson(job.payload() == null ? "null" : job.payload(), type);
        } catch (JsonbException e) {
            throw new NonRetryableJobException("the payload does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void progress(int percent) {
        outcomes.saveProgress(job, owner, percent);
    }

    @Override
    public void checkpoint(Object state) {
        String json = jsonb.toJson(state);
        outcomes.saveCheckpoint(job, owner, json);
        checkpoint = json;
    }

    @Override
    public <T> Optional<T> lastCheckpoint(Class<T> type) {
        String current = checkpoint;
        return current == null ? Optional.empty() : Optional.ofNullable(jsonb.fromJson(current, type));
    }

    @Override
    public boolean cancelled() {
        return cancellation.getCount() == 0;
    }

    @Override
    public boolean awaitCancellation(Duration timeout) throws InterruptedException {
        return cancellation.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public JobLog log() {
        return log;
    }

    /** @return the lines logged since they were last written to the job store, without taking them */
    List<LogLine> pendingLogLines() {
        return pendingLines.peek();
    }

    /** @return the lines logged since they were last written; the caller writes them, or gives them back with {@link #unwrittenLogLines} */
    List<LogLine> takeLogLines() {
        return pendingLines.drain();
    }

    void unwrittenLogLines(List<LogLine> lines) {
        pendingLines.restore(lines);
    }

    /** The server's log, each line prefixed with the job, and the job's own kept lines. */
    private record KeptLog(String prefix, int attempt, Clock clock, PendingLogLines lines) implements JobLog {
        @Override
        public void info(String message) {
            LOG.info(() -> prefix + message);
            keep("INFO", message);
        }

        @Override
        public void warning(String message) {
            LOG.warning(() -> prefix + message);
            keep("WARNING", message);
        }

        @Override
        public void error(String message, Throwable cause) {
            LOG.log(Level.SEVERE, prefix + message, cause);
            keep("ERROR", cause == null ? message : message + ": " + JobRunner.describe(cause));
        }

        private void keep(String level, String message) {
            lines.add(new LogLine(clock.instant(), attempt, level, String.valueOf(message)));
        }
    }
}
