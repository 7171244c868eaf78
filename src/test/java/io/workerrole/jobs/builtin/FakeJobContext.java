package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobLog;
import io.workerrole.api.NonRetryableJobException;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A job context for handler unit tests: a payload, an attempt, a checkpoint, and a scripted cancellation. */
final class FakeJobContext implements JobContext {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final Logger LOG = Logger.getLogger(FakeJobContext.class.getName());

    private final String payload;
    private final int attempt;
    private String checkpoint;
    private int waitsBeforeCancel = Integer.MAX_VALUE;
    final List<Integer> progress = new ArrayList<>();
    final List<String> checkpoints = new ArrayList<>();
    int waits;

    FakeJobContext(String payload, int attempt) {
        this.payload = payload;
        this.attempt = attempt;
    }

    FakeJobContext(String payload) {
        this(payload, 1);
    }

    FakeJobContext withCheckpoint(String json) {
        this.checkpoint = json;
        return this;
    }

    /** Cancels the job on the n-th wait. */
    FakeJobContext cancelOnWait(int n) {
        this.waitsBeforeCancel = n;
        return this;
    }

    String lastCheckpointJson() {
        return checkpoint;
    }

    @Override
    public String jobId() {
        return "test-job";
    }

    @Override
    public String type() {
        return "test";
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public JsonValue payload() {
        try (JsonReader reader = Json.createReader(new StringReader(payload))) {
            return reader.readValue();
        }
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        try {
            return JSONB.fromJson(payload, type);
        } catch (JsonbException e) {
            throw new NonRetryableJobException("the payload does not fit " + type.getSimpleName(), e);
        }
    }

    @Override
    public void progress(int percent) {
        progress.add(percent);
    }

    @Override
    public void checkpoint(Object state) {
        checkpoint = JSONB.toJson(state);
        checkpoints.add(checkpoint);
    }

    @Override
    public <T> Optional<T> lastCheckpoint(Class<T> type) {
        return checkpoint == null ? Optional.empty() : Optional.of(JSONB.fromJson(checkpoint, type));
    }

    @Override
    public boolean cancelled() {
        return waits >= waitsBeforeCancel;
    }

    @Override
    public boolean awaitCancellation(Duration timeout) {
        waits++;
        return cancelled();
    }

    @Override
    public JobLog log() {
        return new JobLog() {
            @Override
            public void info(String message) {
                LOG.info(message);
            }

            @Override
            public void warning(String message) {
                LOG.warning(message);
            }

            @Override
            public void error(String message, Throwable cause) {
                LOG.log(Level.SEVERE, message, cause);
            }
        };
    }
}
