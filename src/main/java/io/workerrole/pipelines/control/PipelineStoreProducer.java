package io.workerrole.pipelines.control;

import io.workerrole.jobs.control.JobStoreProducer;
import io.workerrole.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Opens the pipelines' store on the job store's data source: runs and their jobs live side by side. */
@ApplicationScoped
public class PipelineStoreProducer {

    @Inject
    JobStoreProducer jobStores;

    @Produces
    @ApplicationScoped
    PipelineStore store() {
        return new PipelineStore(new Database(jobStores.dataSource()));
    }
}
