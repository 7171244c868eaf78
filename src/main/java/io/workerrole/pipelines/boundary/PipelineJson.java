package io.workerrole.pipelines.boundary;

import io.workerrole.api.JobState;
import io.workerrole.api.PipelineRunState;
import io.workerrole.api.PipelineStep;
import io.workerrole.pipelines.control.PipelineCatalog;
import io.workerrole.pipelines.control.PipelineDefinitions;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.pipelines.entity.StepJob;
import io.workerrole.platform.SharedJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.SharedJson.JSON;

/** Pipelines and their runs as the API shows them. */
final class PipelineJson {

    /** What a step of a run is doing, as the run's view says it. */
    enum StepState { PENDING, RUNNING, SUCCEEDED, DEAD, CANCELLED, COMPENSATING, COMPENSATED, COMPENSATION_FAILED }

    private PipelineJson() {
    }

    static JsonObject pipeline(PipelineCatalog.Entry entry) {
        return JSON.createObjectBuilder(PipelineDefinitions.toJson(entry.pipeline())).add("origin", entry.origin().name()).build();
    }

    /** @param jobs the run's jobs, or null for the short view of a list */
    static JsonObject run(PipelineRun run, List<StepJob> jobs, Instant stuckBefore) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", run.id())
                .add("pipeline", run.pipeline())
                .add("state", run.state().name())
                .add("step", run.currentStep().name())
                .add("payload", SharedJson.readStored(run.payload()))
                .add("result", SharedJson.readStored(run.result()))
                .add("cancelRequested", run.cancelRequested())
                .add("stuck", !run.state().isFinal() && run.updatedAt().isBefore(stuckBefore));
        addText(json, "error", run.error());
        addText(json, "failedStep", run.failedStep());
        addText(json, "idempotencyKey", run.idempotencyKey());
        addTime(json, "stepDeadline", run.state() == PipelineRunState.RUNNING ? run.stepDeadline() : null);
        addTime(json, "createdAt", run.createdAt());
        addTime(json, "updatedAt", run.updatedAt());
        addTime(json, "finishedAt", run.finishedAt());
        if (jobs != null) {
            JsonArrayBuilder steps = JSON.createArrayBuilder();
            List<PipelineStep> definition = run.definition().steps();
            for (int i = 0; i < definition.size(); i++) {
                steps.add(step(definition.get(i), i, jobs));
            }
            json.add("steps", steps);
        }
        return json.build();
    }

    private static JsonObject step(PipelineStep step, int index, List<StepJob> jobs) {
        List<StepJob> forward = jobs.stream().filter(job -> job.step() == index && !job.isCompensation()).toList();
        List<StepJob> compensations = jobs.stream().filter(job -> job.step() == index && job.isCompensation()).toList();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("name", step.name())
                .add("type", step.type())
                .add("state", state(forward, compensations).name())
                .add("jobs", jobList(forward));
        if (step.compensation() != null) {
            json.add("compensation", step.compensation()).add("compensations", jobList(compensations));
        }
        return json.build();
    }

    /** @return the step's state: its compensations' when it has any, else its latest attempt's jobs' */
    static StepState state(List<StepJob> forward, List<StepJob> compensations) {
        if (!compensations.isEmpty()) {
            if (compensations.stream().anyMatch(job -> job.isFinished() && !job.succeeded())) {
                return StepState.COMPENSATION_FAILED;
            }
            return compensations.stream().allMatch(StepJob::succeeded) ? StepState.COMPENSATED : StepState.COMPENSATING;
        }
        if (forward.isEmpty()) {
            return StepState.PENDING;
        }
        int attempt = forward.stream().mapToInt(StepJob::attempt).max().orElse(0);
        List<StepJob> latest = forward.stream().filter(job -> job.attempt() == attempt).toList();
        if (latest.stream().anyMatch(job -> job.state() == JobState.DEAD)) {
            return StepState.DEAD;
        }
        if (latest.stream().anyMatch(job -> job.state() == JobState.CANCELLED)) {
            return StepState.CANCELLED;
        }
        return latest.stream().allMatch(StepJob::succeeded) ? StepState.SUCCEEDED : StepState.RUNNING;
    }

    private static JsonArrayBuilder jobList(List<StepJob> jobs) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (StepJob job : jobs) {
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("id", job.jobId())
                    .add("branch", job.branch())
                    .add("attempt", job.attempt())
                    .add("state", job.state().name())
                    .add("attempts", job.attempts())
                    .add("result", SharedJson.readStored(job.result()));
            addText(json, "error", job.error());
            addTime(json, "startedAt", job.startedAt());
            addTime(json, "finishedAt", job.finishedAt());
            list.add(json);
        }
        return list;
    }

    private static void addText(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static void addTime(JsonObjectBuilder json, String name, Instant value) {
        if (value != null) {
            json.add(name, value.toString());
        }
    }
}
