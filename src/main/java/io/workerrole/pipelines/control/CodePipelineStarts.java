package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.jobs.boundary.PipelineStarts;
import io.workerrole.platform.CallerTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Pipeline runs started by the application's code, in its transaction if it has one ({@link PipelineStarts}). */
@ApplicationScoped
public class CodePipelineStarts implements PipelineStarts {

    @Inject
    PipelineCatalog pipelines;

    @Inject
    PipelineConductor conductor;

    @Override
    public String start(String pipeline, String payload, String idempotencyScope, String idempotencyKey, CallerTransaction transaction) {
        try {
            Pipeline definition = pipelines.require(pipeline);
            PipelineConductor.Started started = transaction.active()
                    ? conductor.startWithin(transaction, definition, payload, idempotencyScope, idempotencyKey)
                    : conductor.start(definition, payload, idempotencyScope, idempotencyKey);
            return started.run().id();
        } catch (InvalidPipelineException e) {
            throw new IllegalArgumentException("Could not start pipeline " + pipeline + ": " + e.getMessage(), e);
        }
    }
}
