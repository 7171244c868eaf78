package io.workerrole.pipelines.entity;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.api.PipelineStep;

import java.time.Instant;
import java.util.List;

/**
 * A run of a pipeline as the store holds it. JSON fields (payload, result) are JSON text.
 *
 * @param seq the store's insertion order, for paging
 * @param definition the pipeline as it was when the run started
 * @param step the forward step under way (or the one that died), from 0
 * @param attempt how many times that step was started again past its deadline
 * @param failedStep the step that died, or whose compensation died; null if none
 * @param undoList the ids of the succeeded step jobs to compensate, in order; null until known
 * @param undoNext the index in {@code undoList} of the compensation under way
 * @param stepDeadline when the step under way must be done by
 * @param checkedAt when the run was last looked at (the supervisor's round robin)
 */
public record PipelineRun(
        String id,
        long seq,
        Pipeline definition,
        PipelineRunState state,
        int step,
        int attempt,
        String payload,
        String result,
        String error,
        String failedStep,
        String idempotencyKey,
        List<String> undoList,
        int undoNext,
        Instant stepDeadline,
        Instant cancelRequestedAt,
        Instant checkedAt,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {

    public String pipeline() {
        return definition.name();
    }

    public PipelineStep currentStep() {
        return definition.steps().get(step);
    }

    public boolean cancelRequested() {
        return cancelRequestedAt != null;
    }
}
