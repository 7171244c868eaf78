package io.workerrole.role.boundary;

import io.workerrole.api.BackgroundTask;
import io.workerrole.role.control.Beans;
import io.workerrole.role.entity.Hold;
import io.workerrole.role.entity.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Instant;

/**
 * The role's gauges at {@code /metrics}: whether this server is frozen, whether the fleet is and
 * until when, how many job types it holds, and how many
 * times each background task was restarted after a failure (monotonic while the application
 * runs, so {@code increase()} over it counts restarts; a task that keeps failing shows here before
 * liveness gives it up).
 */
@ApplicationScoped
public class RoleGauges {

    @Inject
    MetricRegistry registry;

    @Inject
    RoleLifecycle lifecycle;

    @Inject
    @Any
    Instance<BackgroundTask> backgroundTasks;

    void register(@Observes Startup event) {
        registry.gauge(Metadata.builder().withName("worker.frozen")
                .withDescription("1 while this server is frozen (worker.freeze, or a fleet freeze), else 0").build(), () -> lifecycle.frozen() ? 1 : 0);
        registry.gauge(Metadata.builder().withName("worker.fleet.frozen")
                .withDescription("1 while an operator's fleet freeze holds every server, else 0").build(), () -> lifecycle.fleetHold().isPresent() ? 1 : 0);
        registry.gauge(Metadata.builder().withName("worker.fleet.frozen.until.seconds")
                .withDescription("When the fleet freeze lifts itself, in seconds since 1970; 0 when none holds or it has no end").build(),
                () -> lifecycle.fleetHold().map(Hold::until).map(Instant::getEpochSecond).orElse(0L));
        registry.gauge(Metadata.builder().withName("worker.types.held")
                .withDescription("How many job types this server claims no job of now (worker.freeze.types and the fleet's type holds)").build(),
                () -> lifecycle.heldTypes().size());
        Metadata restarts = Metadata.builder().withName("worker.task.restarts.total")
                .withDescription("Restarts of a background task after it failed, since the application started").build();
        // The tasks' names are known from their beans before the role starts them.
        backgroundTasks.handlesStream().map(h -> Beans.nameOf(h.getBean())).distinct()
                .forEach(task -> registry.gauge(restarts, () -> restartsOf(task), new Tag("task", task)));
    }

    private int restartsOf(String task) {
        return lifecycle.tasks().stream().filter(t -> t.name().equals(task)).mapToInt(TaskStatus::restarts).findFirst().orElse(0);
    }
}
