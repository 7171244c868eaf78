package io.workerrole.pipelines.control;

import io.workerrole.jobs.boundary.PipelineStepEnds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Moves a run on when one of its jobs has ended (the job's PIPELINE notice); a run since deleted is not looked for. */
@ApplicationScoped
public class StepEnds implements PipelineStepEnds {

    @Inject
    PipelineJobLinks links;

    @Inject
    PipelineConductor conductor;

    @Override
    public void stepEnded(String jobId) throws Exception {
        conductor.stepEnded(links.runOf(jobId).orElse(null), jobId);
    }
}
