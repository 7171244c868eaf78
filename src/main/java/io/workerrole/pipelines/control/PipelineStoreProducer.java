package io.workerrole.pipelines.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Opens the pipelines' stores on the job store's data source, so that a run, its moves and the
 * jobs it starts share one transaction: one store per table (definitions, run changes and run
 * reads, the runs' links to their jobs). The two run stores share one row mapper, and with it
 * one cache of parsed definitions.
 */
@ApplicationScoped
public class PipelineStoreProducer {

    @Inject
    WorkerDatabase workerDatabase;

    private final PipelineRunRows runRows = new PipelineRunRows();

    private Database database() {
        return workerDatabase.database();
    }

    @Produces
    @ApplicationScoped
    PipelineDefinitionStore definitions() {
        return new PipelineDefinitionStore(database());
    }

    @Produces
    @ApplicationScoped
    PipelineJobLinks jobLinks() {
        return new PipelineJobLinks(database());
    }

    @Produces
    @ApplicationScoped
    PipelineRunStore runs(PipelineJobLinks links) {
        return new PipelineRunStore(database(), runRows, links);
    }

    @Produces
    @ApplicationScoped
    PipelineRunQueries runQueries() {
        return new PipelineRunQueries(database(), runRows);
    }
}
