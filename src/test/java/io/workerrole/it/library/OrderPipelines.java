package io.workerrole.it.library;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The README's order pipeline, declared in code as an application would: a CDI producer of a {@link Pipeline}. */
@ApplicationScoped
public class OrderPipelines {

    @Produces
    Pipeline order() {
        return Pipeline.named("order-in-code")
                .step(PipelineStep.of("reserve").compensatedBy("release"))
                .step(PipelineStep.of("charge").compensatedBy("refund"))
                .step("ship")
                .build();
    }
}
