package io.workerrole.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Work of several steps, each a job (pipes and filters): a step's result is the next step's
 * payload, a step may fan out to parallel jobs that join before the next one, and each step may
 * name a compensation. When a step dies, the compensations of the steps that succeeded run in
 * reverse order, each once (a compensating transaction). Declare one in code with a CDI producer:
 *
 * <pre>{@code
 * @Produces
 * Pipeline order() {
 *     return Pipeline.named("order")
 *             .step(PipelineStep.of("reserve").compensatedBy("release"))
 *             .step(PipelineStep.of("charge").compensatedBy("refund").withDeadline(Duration.ofMinutes(5)))
 *             .step(PipelineStep.of("ship"))
 *             .build();
 * }
 * }</pre>
 *
 * or post it as JSON to {@code PUT /api/pipelines/NAME}. Start a run with
 * {@link Jobs#startPipeline(String, Object, String)}, {@code POST /api/pipelines/NAME/runs}, or a
 * job message {@code {"pipeline": "NAME", "payload": ...}}.
 *
 * @param name unique among pipelines: letters, digits, '.', '_', '-'
 * @param steps in the order they run; step names unique
 */
public record Pipeline(String name, List<PipelineStep> steps) {

    /** At most this many steps: a pipeline is a plan, not a loop. */
    public static final int MAX_STEPS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public Pipeline {
        Objects.requireNonNull(name, "a pipeline needs a name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a pipeline's name is 1 to 100 letters, digits, '.', '_' or '-', not \"" + name + "\"");
        }
        steps = List.copyOf(steps);
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("pipeline " + name + " needs 1 to " + MAX_STEPS + " steps, not " + steps.size());
        }
        Set<String> names = new HashSet<>();
        for (PipelineStep step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException("pipeline " + name + " has two steps named " + step.name()
                        + "; name one of them with PipelineStep.named");
            }
        }
    }

    /** @return a builder of a pipeline with this name */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Builds a {@link Pipeline} step by step. */
    public static final class Builder {
        private final String name;
        private final List<PipelineStep> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder step(PipelineStep step) {
            steps.add(step);
            return this;
        }

        /** Adds a step done by one job of this type, with nothing to undo. */
        public Builder step(String type) {
            return step(PipelineStep.of(type));
        }

        public Pipeline build() {
            return new Pipeline(name, steps);
        }
    }
}
