package io.workerrole.role.boundary;

import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.security.Roles;
import io.workerrole.role.control.StartProblems;
import io.workerrole.role.entity.TaskStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code GET /api/role}: this server's role as its health checks see it, with what they leave
 * out because anyone may read them: why the last start failed, and each task's last error. For
 * job-viewers; the same is in the log.
 */
@ApplicationScoped
@Path("role")
@Produces(MediaType.APPLICATION_JSON)
public class RoleResource {

    @Inject
    RoleLifecycle role;

    @Inject
    StartProblems startProblems;

    @Inject
    WorkerSettings settings;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "This server's role: phase, freeze, start attempts and problems, tasks with their last errors",
            description = "The details /health leaves out. startProblems are the reasons the last start failed (empty once it succeeded); "
                    + "startAttempts counts the runs of the start hooks (a start held by worker.freeze after it failed is tried again "
                    + "when unfrozen).")
    @APIResponse(responseCode = "200", description = "{\"serverId\", \"phase\", \"frozen\", \"startAttempts\", \"startProblems\": [...], "
            + "\"tasks\": [{\"name\", \"state\", \"starts\", \"restarts\", \"lastError\" if any}]}")
    public JsonObject role() {
        JsonArrayBuilder problems = JSON.createArrayBuilder();
        if (!role.phase().hasStarted()) {
            startProblems.all().forEach(problems::add);
        }
        JsonArrayBuilder tasks = JSON.createArrayBuilder();
        for (TaskStatus task : role.tasks()) {
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("name", task.name())
                    .add("state", task.state().name())
                    .add("starts", task.starts())
                    .add("restarts", task.restarts());
            if (task.lastError() != null) {
                json.add("lastError", task.lastError());
            }
            tasks.add(json);
        }
        return JSON.createObjectBuilder()
                .add("serverId", settings.serverId())
                .add("phase", role.phase().name())
                .add("frozen", role.frozen())
                .add("startAttempts", role.startAttempts())
                .add("startProblems", problems)
                .add("tasks", tasks)
                .build();
    }
}
