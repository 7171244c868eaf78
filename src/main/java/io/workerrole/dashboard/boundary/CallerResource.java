package io.workerrole.dashboard.boundary;

import io.workerrole.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code GET /api/me}: who the caller is and which of the worker's roles they hold, so that a
 * page shows only the buttons its user may press (the server checks each call anyway).
 */
@ApplicationScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The caller's name and roles", description = "For viewers, as the dashboard is: its other buttons follow the other roles.")
    @APIResponse(responseCode = "200", description = "{\"user\": name, \"roles\": [\"job-viewer\", ...]}")
    public JsonObject me(@Context SecurityContext security) {
        JsonArrayBuilder roles = JSON.createArrayBuilder();
        Roles.ALL.stream().filter(security::isUserInRole).forEach(roles::add);
        return JSON.createObjectBuilder()
                .add("user", security.getUserPrincipal().getName())
                .add("roles", roles)
                .build();
    }
}
