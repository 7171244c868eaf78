package io.workerrole.pipelines.control;

import io.workerrole.api.PipelineRunState;
import io.workerrole.api.PipelineStep;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.pipelines.entity.StepJob;
import io.workerrole.platform.SharedJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Decides how a pipeline run goes on, from the run and the jobs it started, and nothing else:
 * the {@link PipelineConductor} does the move in the run's transaction. Deciding again from the
 * same facts gives the same move, so a run told twice of one job's end (a notice sent again, the
 * supervisor looking too) moves once: the first move changes the facts.
 *
 * <p>Forward, a step's jobs (one, or one per element of its input when it fans out) must all
 * succeed for the next step to start with their result. When one dies or is cancelled, when the
 * step passes its deadline without retries left, or when the run is cancelled, the run unwinds:
 * jobs still under way are cancelled and, once none runs, the succeeded jobs of steps with a
 * compensation are undone in reverse order, one compensation job after another.
 */
public final class RunProgress {

    /** The most jobs a fanned-out step starts. */
    public static final int MAX_FAN_OUT = 1000;

    private RunProgress() {
    }

    /** What to do with a run. */
    public sealed interface Move {
    }

    /** Nothing to do until one of the run's jobs ends (or its deadline passes). */
    public record Stay() implements Move {
    }

    /**
     * Start a step (again, with a higher attempt, after its deadline), one job per payload.
     *
     * @param cancel jobs of the step's previous attempt that still run
     */
    public record StartStep(int step, int attempt, List<String> payloads, List<String> cancel) implements Move {
    }

    /** The last step succeeded: the run succeeds with its result. */
    public record Succeed(String result) implements Move {
    }

    /**
     * Start compensating: cancel what still runs; the run is COMPENSATING from now on.
     *
     * @param failedStep the step that died, or null when the run was cancelled
     */
    public record Unwind(String error, String failedStep, List<String> cancel) implements Move {
    }

    /**
     * Start the compensation at {@code index} of the undo list.
     *
     * @param undoList the list, fixed when the first compensation starts
     * @param payload the compensation job's payload
     */
    public record Compensate(List<String> undoList, int index, String compensationType, StepJob undone, String payload)
            implements Move {
    }

    /** The run ends, COMPENSATED, CANCELLED or COMPENSATION_FAILED. */
    public record End(PipelineRunState state, String error, String failedStep) implements Move {
    }

    /** @return how the run goes on, as of {@code now} */
    public static Move next(PipelineRun run, List<StepJob> jobs, Instant now) {
        return switch (run.state()) {
            case RUNNING -> forward(run, jobs, now);
            case COMPENSATING -> backward(run, jobs);
            default -> new Stay();
        };
    }

    private static Move forward(PipelineRun run, List<StepJob> jobs, Instant now) {
        if (run.cancelRequested()) {
            return new Unwind("cancelled", null, unfinishedSteps(jobs));
        }
        PipelineStep step = run.currentStep();
        List<StepJob> current = jobs.stream()
                .filter(job -> !job.isCompensation() && job.step() == run.step() && job.attempt() == run.attempt())
                .sorted(Comparator.comparingInt(StepJob::branch))
                .toList();
        Optional<StepJob> failed = current.stream().filter(job -> job.isFinished() && !job.succeeded()).findFirst();
        if (failed.isPresent()) {
            StepJob job = failed.get();
            return new Unwind("step " + step.name() + " " + job.state().name().toLowerCase() + " (job " + job.jobId() + ")"
                    + (job.error() == null ? "" : ": " + job.error()), step.name(), unfinishedSteps(jobs));
        }
        if (current.stream().allMatch(StepJob::isFinished) && (step.fanOut() || !current.isEmpty())) {
            String result = step.fanOut() ? join(current) : current.get(0).result();
            if (run.step() == run.definition().steps().size() - 1) {
                return new Succeed(result);
            }
            PipelineStep next = run.definition().steps().get(run.step() + 1);
            try {
                return new StartStep(run.step() + 1, 0, payloads(next, result), List.of());
            } catch (InvalidPipelineException e) {
                return new Unwind("step " + next.name() + " could not start: " + e.getMessage(), next.name(), List.of());
            }
        }
        if (run.stepDeadline() != null && now.isAfter(run.stepDeadline())) {
            List<String> late = current.stream().filter(job -> !job.isFinished()).map(StepJob::jobId).toList();
            if (run.attempt() < step.deadlineRetries()) {
                return new StartStep(run.step(), run.attempt() + 1, current.stream().map(StepJob::payload).toList(), late);
            }
            return new Unwind("step " + step.name() + " passed its deadline (" + run.stepDeadline() + ")"
                    + (step.deadlineRetries() > 0 ? " " + (step.deadlineRetries() + 1) + " times" : ""), step.name(), unfinishedSteps(jobs));
        }
        return new Stay();
    }

    private static Move backward(PipelineRun run, List<StepJob> jobs) {
        PipelineRunState ended = run.cancelRequested() ? PipelineRunState.CANCELLED : PipelineRunState.COMPENSATED;
        List<String> undoList = run.undoList();
        if (undoList == null) {
            if (!unfinishedSteps(jobs).isEmpty()) {
                return new Stay();
            }
            undoList = jobs.stream()
                    .filter(job -> !job.isCompensation() && job.succeeded() && run.definition().steps().get(job.step()).compensation() != null)
                    .sorted(Comparator.comparingInt(StepJob::step).thenComparingInt(StepJob::attempt).thenComparingInt(StepJob::branch).reversed())
                    .map(StepJob::jobId)
                    .toList();
            return undoList.isEmpty() ? new End(ended, null, null) : compensate(run, jobs, undoList, 0);
        }
        String undone = undoList.get(run.undoNext());
        Optional<StepJob> compensation = jobs.stream().filter(job -> undone.equals(job.undoes())).findFirst();
        if (compensation.isEmpty()) {
            return compensate(run, jobs, undoList, run.undoNext());
        }
        StepJob job = compensation.get();
        if (!job.isFinished()) {
            return new Stay();
        }
        if (job.succeeded()) {
            return run.undoNext() + 1 < undoList.size() ? compensate(run, jobs, undoList, run.undoNext() + 1) : new End(ended, null, null);
        }
        String step = run.definition().steps().get(job.step()).name();
        return new End(PipelineRunState.COMPENSATION_FAILED, "the compensation of step " + step + " " + job.state().name().toLowerCase()
                + " (job " + job.jobId() + ")" + (job.error() == null ? "" : ": " + job.error()), step);
    }

    private static Compensate compensate(PipelineRun run, List<StepJob> jobs, List<String> undoList, int index) {
        StepJob undone = jobs.stream().filter(job -> job.jobId().equals(undoList.get(index))).findFirst().orElseThrow();
        PipelineStep step = run.definition().steps().get(undone.step());
        String payload = JSON.createObjectBuilder()
                .add("run", run.id())
                .add("step", step.name())
                .add("input", SharedJson.readStored(undone.payload()))
                .add("result", SharedJson.readStored(undone.result()))
                .build().toString();
        return new Compensate(undoList, index, step.compensation(), undone, payload);
    }

    /** @return the step jobs (of any step and attempt) that have not ended */
    private static List<String> unfinishedSteps(List<StepJob> jobs) {
        return jobs.stream().filter(job -> !job.isCompensation() && !job.isFinished()).map(StepJob::jobId).toList();
    }

    /**
     * @param input the step's input, as JSON text
     * @return the payloads of the step's jobs: the input, or each of its elements for a step that fans out
     * @throws InvalidPipelineException if a step that fans out gets no JSON array, or too long a one
     */
    public static List<String> payloads(PipelineStep step, String input) {
        if (!step.fanOut()) {
            return List.of(input == null ? "null" : input);
        }
        if (!(SharedJson.readStored(input) instanceof JsonArray elements)) {
            throw new InvalidPipelineException("step " + step.name() + " fans out: its input must be a JSON array");
        }
        if (elements.size() > MAX_FAN_OUT) {
            throw new InvalidPipelineException("step " + step.name() + " fans out to at most " + MAX_FAN_OUT
                    + " jobs; its input has " + elements.size() + " elements");
        }
        return elements.stream().map(JsonValue::toString).toList();
    }

    /** @return the results of a fanned-out step's jobs, as one JSON array in their order */
    private static String join(List<StepJob> branches) {
        JsonArrayBuilder results = JSON.createArrayBuilder();
        branches.forEach(job -> results.add(SharedJson.readStored(job.result())));
        return results.build().toString();
    }
}
