package io.workerrole.role.boundary;

import io.workerrole.role.control.StartProblems;
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

import java.util.List;

/**
 * MicroProfile Health checks of the worker role, each reporting the phase, the freeze flag and
 * every supervised task:
 * <ul>
 * <li>started ({@code /health/started}): UP once the start hooks have succeeded;</li>
 * <li>ready ({@code /health/ready}): UP while running and not frozen, so no traffic or work is
 * routed to a worker that is starting, frozen or stopping;</li>
 * <li>live ({@code /health/live}): DOWN only when a restart would help: start failed, a task
 * was given up, or the supervisor died. Freezing never makes it DOWN.</li>
 * </ul>
 */
@ApplicationScoped
public class RoleHealthChecks {

    static final String NAME = "worker-role";

    @Inject
    RoleLifecycle role;

    @Inject
    StartProblems startProblems;

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
        if (role.phase() == RolePhase.START_FAILED) {
            List<String> problems = startProblems.all();
            for (int i = 0; i < problems.size(); i++) {
                response.withData("startProblem." + (i + 1), problems.get(i));
            }
        }
        for (TaskStatus task : role.tasks()) {
            String key = "task." + task.name();
            response.withData(key + ".state", task.state().name())
                    .withData(key + ".starts", task.starts())
                    .withData(key + ".restarts", task.restarts());
            if (task.lastError() != null) {
                response.withData(key + ".lastError", task.lastError());
            }
        }
        return response.build();
    }
}
