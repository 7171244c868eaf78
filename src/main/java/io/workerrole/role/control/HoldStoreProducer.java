package io.workerrole.role.control;

import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Opens the store of holds on the job store's data source: a hold holds the servers that share its jobs. */
@ApplicationScoped
public class HoldStoreProducer {

    @Inject
    WorkerDatabase database;

    @Produces
    @ApplicationScoped
    HoldStore store() {
        return new HoldStore(database.database());
    }
}
