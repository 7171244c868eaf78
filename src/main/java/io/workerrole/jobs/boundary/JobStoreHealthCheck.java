package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.dispatch.JobDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the job store: DOWN while the dispatcher cannot reach the database, so that no
 * traffic is routed to a worker that cannot record or run jobs. Liveness is not touched: a
 * restart would not bring the database back.
 */
@Readiness
@ApplicationScoped
public class JobStoreHealthCheck implements HealthCheck {

    @Inject
    JobDispatcher dispatcher;

    @Override
    public HealthCheckResponse call() {
        boolean available = dispatcher.storeAvailable();
        return HealthCheckResponse.named("job-store").status(available).withData("available", available).build();
    }
}
