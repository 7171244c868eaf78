package io.workerrole.pipelines.control;

import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Opens the pipelines' store on the job store's data source: runs and their jobs live side by side. */
@ApplicationScoped
public class PipelineStoreProducer {

    @Inject
    WorkerDatabase database;

    @Produces
    @ApplicationScoped
    PipelineStore store() {
        return new PipelineStore(database.database());
    }
}
