package io.workerrole.servers.control;

import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Opens the store of heartbeats on the job store's data source: the servers listed are those sharing its jobs. */
@ApplicationScoped
public class ServerStoreProducer {

    @Inject
    WorkerDatabase database;

    @Produces
    @ApplicationScoped
    ServerStore store() {
        return new ServerStore(database.database());
    }
}
