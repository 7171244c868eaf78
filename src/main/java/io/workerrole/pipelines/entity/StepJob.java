package io.workerrole.pipelines.entity;

import io.workerrole.api.JobState;

import java.time.Instant;

/**
 * A job a pipeline run started, with what the run needs to know of it.
 *
 * @param step the step it does or undoes, from 0
 * @param branch its place in a fanned-out step (0 otherwise)
 * @param attempt the step's attempt it belongs to
 * @param undoes for a compensation, the id of the step's job it undoes; null for a step's job
 * @param attempts how many times the job was started: more than 1 after a retry or a crash
 * @param payload its payload, as JSON text
 * @param result its result, as JSON text, once it succeeded
 */
public record StepJob(
        String jobId,
        int step,
        int branch,
        int attempt,
        String undoes,
        JobState state,
        int attempts,
        String payload,
        String result,
        String error,
        Instant startedAt,
        Instant finishedAt) {

    public boolean isCompensation() {
        return undoes != null;
    }

    public boolean isFinished() {
        return state.isFinal();
    }

    public boolean succeeded() {
        return state == JobState.SUCCEEDED;
    }
}
