package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineStep;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.InputBounds;
import io.workerrole.platform.rest.ConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The pipelines this worker knows: those the application declares in code (CDI beans of type
 * {@link Pipeline}, usually from a producer method) and those posted as JSON, which all servers
 * sharing the store see. A name declared in code cannot be posted. A pipeline is checked when
 * it is declared or posted: some live server of the fleet must run every job type it names.
 */
@ApplicationScoped
public class PipelineCatalog {

    /** The name the API's run list has ({@code /api/pipelines/runs}): no pipeline may take it. */
    static final String RESERVED_NAME = "runs";
    /** The longest step name a run keeps (worker_pipeline_run.failed_step). */
    static final int MAX_STEP_NAME_LENGTH = PipelineRunStore.MAX_STEP_NAME_LENGTH;
    private static final Logger LOG = Logger.getLogger("io.workerrole.pipelines");

    @Inject
    Instance<Pipeline> declared;

    @Inject
    PipelineDefinitionStore store;

    @Inject
    JobService jobs;

    @Inject
    Clock clock;

    private volatile Map<String, Pipeline> inCode;

    /** Where a pipeline was declared. */
    public enum Origin { CODE, API }

    /** A pipeline and where it comes from. */
    public record Entry(Pipeline pipeline, Origin origin) {
    }

    /** @return the pipeline of that name, from code or the store */
    public Optional<Entry> find(String name) {
        Pipeline code = inCode().get(name);
        if (code != null) {
            return Optional.of(new Entry(code, Origin.CODE));
        }
        return store.definition(name).map(pipeline -> new Entry(pipeline, Origin.API));
    }

    /** @throws NoSuchPipelineException if there is no pipeline of that name */
    public Pipeline require(String name) {
        return find(name).orElseThrow(() -> new NoSuchPipelineException(name)).pipeline();
    }

    /** @return every pipeline, those from code first */
    public List<Entry> all() {
        List<Entry> all = new ArrayList<>();
        inCode().values().forEach(pipeline -> all.add(new Entry(pipeline, Origin.CODE)));
        store.definitions().stream().filter(pipeline -> !inCode().containsKey(pipeline.name()))
                .forEach(pipeline -> all.add(new Entry(pipeline, Origin.API)));
        return all;
    }

    /**
     * Stores a pipeline posted as JSON, after checking it.
     *
     * @throws InvalidPipelineException if it names a job type no live server runs
     * @throws IllegalStateException if the application declares a pipeline of that name in code
     */
    public PipelineDefinitionStore.Put put(Pipeline pipeline) {
        if (inCode().containsKey(pipeline.name())) {
            throw new ConflictException("pipeline " + pipeline.name() + " is declared in the application's code; it cannot be replaced here");
        }
        check(pipeline);
        return store.putDefinition(pipeline, clock.instant());
    }

    /** @return false if there was no such pipeline posted */
    public boolean delete(String name) {
        if (inCode().containsKey(name)) {
            throw new ConflictException("pipeline " + name + " is declared in the application's code; it cannot be deleted here");
        }
        return store.deleteDefinition(name);
    }

    /**
     * @throws InvalidPipelineException naming what is wrong: a reserved name, a step name longer than
     *         a run keeps, a deadline past {@link InputBounds#LONGEST}, a job type no live server runs
     */
    public void check(Pipeline pipeline) {
        if (pipeline.name().equals(RESERVED_NAME)) {
            throw new InvalidPipelineException("\"" + RESERVED_NAME + "\" cannot name a pipeline: /api/pipelines/runs lists the runs");
        }
        for (int i = 0; i < pipeline.steps().size(); i++) {
            PipelineStep step = pipeline.steps().get(i);
            if (step.name().length() > MAX_STEP_NAME_LENGTH) {
                throw new InvalidPipelineException("steps[" + i + "].name is longer than " + MAX_STEP_NAME_LENGTH
                        + " characters: a run keeps the name of the step that failed");
            }
            if (step.deadline() != null && !InputBounds.notTooLong(step.deadline())) {
                throw new InvalidPipelineException("steps[" + i + "].deadline " + step.deadline() + " is longer than " + InputBounds.LONGEST);
            }
        }
        for (PipelineStep step : pipeline.steps()) {
            for (String type : new String[] {step.type(), step.compensation()}) {
                if (type != null && !jobs.knows(type)) {
                    throw new InvalidPipelineException("step " + step.name() + " names job type \"" + type
                            + "\", which no live server runs; they run " + jobs.types());
                }
            }
        }
    }

    /** The pipelines declared in code, read once: beans do not change after deployment. A bad one is logged and left out. */
    private Map<String, Pipeline> inCode() {
        Map<String, Pipeline> known = inCode;
        if (known == null) {
            known = new LinkedHashMap<>();
            for (Pipeline pipeline : declared) {
                try {
                    check(pipeline);
                    if (known.putIfAbsent(pipeline.name(), pipeline) != null) {
                        throw new InvalidPipelineException("two pipelines named " + pipeline.name() + " are declared; the first one is used");
                    }
                    LOG.fine(() -> "[pipeline " + pipeline.name() + "] declared in code: " + pipeline.steps().size() + " steps");
                } catch (InvalidPipelineException e) {
                    LOG.severe(() -> "[pipeline " + pipeline.name() + "] declared in code, not used: " + e.getMessage());
                }
            }
            inCode = known = Collections.unmodifiableMap(known);
        }
        return known;
    }
}
