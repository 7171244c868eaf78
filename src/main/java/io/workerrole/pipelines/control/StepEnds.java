package io.workerrole.pipelines.control;

import io.workerrole.jobs.boundary.PipelineStepEnds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Moves a run on when one of its jobs has ended (the job's PIPELINE notice); a run since deleted is not looked for. */
@ApplicationScoped
public class StepEnds implements PipelineStepEnds {

    @Inject
    PipelineStore store;

    @Inject
    PipelineConductor conductor;

    @Override
    public void stepEnded(String jobId) throws Exception {
        conductor.stepEnded(store.runOf(jobId).orElse(null), jobId);
    }
}
