package io.workerrole.api;

import jakarta.json.JsonValue;

import java.time.Instant;

/**
 * A job as the job store holds it at one moment (what {@code GET /api/jobs/{id}} shows).
 *
 * @param result the handler's result, once SUCCEEDED ({@link JsonValue#NULL} before)
 * @param error the last error, or null
 * @param startedAt when the current or last attempt started, or null
 * @param finishedAt when it reached a final state, or null
 */
public record JobInfo(
        String id,
        String type,
        JobState state,
        int attempts,
        int progress,
        JsonValue result,
        String error,
        Instant enqueuedAt,
        Instant startedAt,
        Instant finishedAt) {
}
