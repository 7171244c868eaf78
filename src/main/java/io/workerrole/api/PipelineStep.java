package io.workerrole.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a {@link Pipeline}: a job type whose job gets the previous step's result as its
 * payload (the first step gets the run's payload). Make one with {@link #of(String)} and the
 * {@code with...} methods.
 *
 * @param name the step's name in its pipeline (the type, unless the type is used by two steps)
 * @param type the job type that does the step
 * @param compensation the job type that undoes a successful run of the step if a later step
 *                     dies, or null when there is nothing to undo. It gets
 *                     {@code {"run": id, "step": name, "input": ..., "result": ...}}.
 * @param fanOut true to run one job per element of the input (a JSON array) in parallel; the
 *               step's result is then the array of their results, in the same order
 * @param deadline how long the step may take from its start, or null for the worker's default
 *                 ({@code worker.pipelines.stepDeadline})
 * @param deadlineRetries how many times the supervisor starts the step again when it passes its
 *                        deadline, before it gives up and compensates (0 to 10)
 * @param priority the step's jobs' priority, 0 (lowest) to 9
 */
public record PipelineStep(String name, String type, String compensation, boolean fanOut, Duration deadline,
                           int deadlineRetries, int priority) {

    /** The step's jobs' priority unless one is given: a job message's default. */
    public static final int DEFAULT_PRIORITY = 4;
    static final int MAX_DEADLINE_RETRIES = 10;

    public PipelineStep {
        Objects.requireNonNull(type, "a step needs a job type");
        name = name == null ? type : name;
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("step " + name + ": a deadline must be longer than zero, not " + deadline);
        }
        if (deadlineRetries < 0 || deadlineRetries > MAX_DEADLINE_RETRIES) {
            throw new IllegalArgumentException("step " + name + ": deadlineRetries must be 0 to " + MAX_DEADLINE_RETRIES);
        }
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("step " + name + ": priority must be 0 to 9");
        }
    }

    /** @return a step done by one job of this type, named after it, with nothing to undo */
    public static PipelineStep of(String type) {
        return new PipelineStep(type, type, null, false, null, 0, DEFAULT_PRIORITY);
    }

    public PipelineStep named(String stepName) {
        return new PipelineStep(stepName, type, compensation, fanOut, deadline, deadlineRetries, priority);
    }

    public PipelineStep compensatedBy(String compensationType) {
        return new PipelineStep(name, type, compensationType, fanOut, deadline, deadlineRetries, priority);
    }

    public PipelineStep fannedOut() {
        return new PipelineStep(name, type, compensation, true, deadline, deadlineRetries, priority);
    }

    public PipelineStep withDeadline(Duration stepDeadline) {
        return new PipelineStep(name, type, compensation, fanOut, stepDeadline, deadlineRetries, priority);
    }

    public PipelineStep withDeadline(Duration stepDeadline, int retries) {
        return new PipelineStep(name, type, compensation, fanOut, stepDeadline, retries, priority);
    }

    public PipelineStep withPriority(int stepPriority) {
        return new PipelineStep(name, type, compensation, fanOut, deadline, deadlineRetries, stepPriority);
    }
}
