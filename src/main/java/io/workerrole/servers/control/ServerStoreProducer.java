package io.workerrole.servers.control;

import io.workerrole.jobs.control.JobStoreProducer;
import io.workerrole.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Opens the store of heartbeats on the job store's data source: the servers listed are those sharing its jobs. */
@ApplicationScoped
public class ServerStoreProducer {

    @Inject
    JobStoreProducer jobStores;

    @Produces
    @ApplicationScoped
    ServerStore store() {
        return new ServerStore(new Database(jobStores.dataSource()));
    }
}
