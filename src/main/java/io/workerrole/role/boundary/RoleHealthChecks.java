package io.workerrole.role.boundary;

import io.workerrole.role.entity.Hold;
import io.workerrole.role.entity.RolePhase;
import io.workerrole.role.entity.TaskState;
import io.workerrole.role.entity.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import java.util.Optional;

/**
 * MicroProfile Health checks of the worker role, each reporting the phase, the freeze (and what
 * freezes it: {@code worker.freeze}, a fleet freeze, until when), the job types held, and every
 * supervised task's state, starts and restarts:
 * <ul>
 * <li>started ({@code /health/started}): UP once the start hooks have succeeded;</li>
 * <li>ready ({@code /health/ready}): UP while running and not frozen, so no traffic or work is
 * routed to a worker that is starting, frozen or stopping;</li>
 * <li>live ({@code /health/live}): DOWN only when a restart would help: start failed (and no
 * freeze holds it since), a task was given up, or the supervisor died. Freezing never makes it
 * DOWN, and a start held by the freeze is UP: an orchestrator does not restart a frozen worker.</li>
 * </ul>
 * The checks are open to anyone (orchestrators' probes carry no credentials), so they show no
 * error text: why the start failed and the tasks' last errors are in the log and, for a
 * job-viewer, at {@code GET /api/role} ({@link RoleResource}).
 */
@ApplicationScoped
public class RoleHealthChecks {

    static final String NAME = "worker-role";

    @Inject
    RoleLifecycle role;

    @Produces
    @Startup
    HealthCheck started() {
        return () -> report(role.phase().hasStarted());
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> report(role.acceptingWork());
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> report(role.phase() != RolePhase.START_FAILED
                && role.supervisorAlive()
                && role.tasks().stream().noneMatch(t -> t.state() == TaskState.FAILED));
    }

    private HealthCheckResponse report(boolean up) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(up)
                .withData("phase", role.phase().name())
                .withData("frozen", role.frozen());
        // What freezes it and until when, but not who or why: that is for job-viewers, at /api/fleet/freeze.
        Optional<Hold> fleet = role.fleetHold();
        if (role.frozen()) {
            response.withData("frozenBy", role.frozenByFlag() && fleet.isPresent() ? "worker.freeze,fleet" : fleet.isPresent() ? "fleet" : "worker.freeze");
        }
        fleet.map(Hold::until).ifPresent(until -> response.withData("fleetFrozenUntil", until.toString()));
        if (!role.heldTypes().isEmpty()) {
            response.withData("heldTypes", String.join(",", role.heldTypes()));
        }
        for (TaskStatus task : role.tasks()) {
            String key = "task." + task.name();
            response.withData(key + ".state", task.state().name())
                    .withData(key + ".starts", task.starts())
                    .withData(key + ".restarts", task.restarts());
        }
        return response.build();
    }
}
