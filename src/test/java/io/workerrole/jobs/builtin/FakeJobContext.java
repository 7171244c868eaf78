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

/**
 * A job context for handler unit tests, binding with JSON-B as the real one does: a payload, an
 * attempt number, a checkpoint (preset or saved), recorded progress and waits, and a scripted
 * cancellation. Waits return at once; nothing sleeps.
 */
final class FakeJobContext implements JobContext {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final Logger LOG = Logger.getLogger(FakeJobContext.class.getName());

    private final String payload;
    private final int attempt;
    private String checkpoint;
    private int cancelAfterWaits = Integer.MAX_VALUE;

    /** Every percent passed to {@link #progress(int)}, in order. */
    final List<Integer> progress = new ArrayList<>();
    /** Every checkpoint saved, as JSON, in order (not the preset one). */
    final List<String> checkpoints = new ArrayList<>();
    /** The timeout of every {@link #awaitCancellation(Duration)} call, in order. */
    final List<Duration> waits = new ArrayList<>();

    /**
     * @param payload the payload as JSON text, or null for none
     * @param attempt 1 for the first run, 2 for the first retry, ...
     */
    FakeJobContext(String payload, int attempt) {
        this.payload = payload;
        this.attempt = attempt;
    }

    /** A first attempt. */
    FakeJobContext(String payload) {
        this(payload, 1);
    }

    /** Presets the checkpoint a previous run saved, as JSON. */
    FakeJobContext withCheckpoint(String json) {
        this.checkpoint = json;
        return this;
    }

    /** Cancels the job once n waits have passed: the next wait, and every later one, returns true. */
    FakeJobContext cancelAfterWaits(int n) {
        this.cancelAfterWaits = n;
        return this;
    }

    /** @return the last checkpoint saved (or preset), as JSON; null for none */
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
        if (payload == null) {
            return JsonValue.NULL;
        }
        try (JsonReader reader = Json.createReader(new StringReader(payload))) {
            return reader.readValue();
        }
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        try {
            return JSONB.fromJson(payload == null ? "null" : payload, type);
        } catch (JsonbException e) {
            throw new NonRetryableJobException("the payload does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
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
        return checkpoint == null ? Optional.empty() : Optional.ofNullable(JSONB.fromJson(checkpoint, type));
    }

    @Override
    public boolean cancelled() {
        return waits.size() >= cancelAfterWaits;
    }

    @Override
    public boolean awaitCancellation(Duration timeout) {
        boolean cancelled = cancelled();
        waits.add(timeout);
        return cancelled;
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
