package io.workerrole.pipelines.control;

import io.workerrole.jobs.control.PipelineStepEnds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Moves a run on when one of its jobs has ended (the job's PIPELINE notice). */
@ApplicationScoped
public class StepEnds implements PipelineStepEnds {

    @Inject
    PipelineStore store;

    @Inject
    PipelineConductor conductor;

    @Override
    public void stepEnded(String jobId) throws Exception {
        store.runOf(jobId).ifPresent(conductor::settle);
    }
}
