package io.workerrole.role.boundary;

import io.workerrole.platform.StoreException;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.platform.rest.RequestBodies;
import io.workerrole.platform.security.Audited;
import io.workerrole.platform.security.Roles;
import io.workerrole.role.control.FleetHolds;
import io.workerrole.role.control.HoldStore;
import io.workerrole.role.entity.Hold;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code /api/fleet/freeze}: an operator holds the whole fleet, or some job types on every
 * server, at once (without editing each server.xml), optionally until a time when the hold lifts
 * itself. The holds are kept in the job store: every server sees them within a second
 * ({@link FleetHolds}) and servers that start later start held. Lifting one lifts it everywhere;
 * a server's own {@code worker.freeze} and {@code worker.freeze.types} are not touched.
 */
@ApplicationScoped
@Path("fleet/freeze")
@Produces(MediaType.APPLICATION_JSON)
public class FleetFreezeResource {

    @Inject
    HoldStore store;

    @Inject
    FleetHolds holds;

    @Inject
    RoleLifecycle role;

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The fleet's holds in force, and what holds this server")
    @APIResponse(responseCode = "200", description = "{\"fleet\": {\"heldBy\", \"reason\", \"since\", \"until\"} or null, "
            + "\"types\": [{\"type\", \"heldBy\", \"reason\", \"since\", \"until\"}], "
            + "\"server\": {\"serverId\", \"frozen\", \"freezeFlag\", \"heldTypes\"}}")
    public JsonObject get() {
        return view();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Hold the whole fleet, or job types on every server",
            description = "{\"types\": [...], \"until\": \"2026-12-24T18:00:00Z\", \"reason\": \"...\"}, each optional. Without types "
                    + "the whole fleet is frozen, as worker.freeze=true would on each server; with types, no server claims their jobs. "
                    + "A hold replaces the one before it of the same scope; until lifts it by itself.")
    @APIResponse(responseCode = "200", description = "Held: the holds as GET shows them")
    @APIResponse(responseCode = "400", description = "Not a JSON object")
    @APIResponse(responseCode = "422", description = "A field is wrong: an unknown one, a time that has passed, ...")
    public JsonObject put(InputStream body, @Context SecurityContext caller) throws IOException {
        Instant now = clock.instant();
        FleetFreezeRequest request = FleetFreezeRequest.parse(RequestBodies.readUtf8(body, settings.maxPayloadBytes()), now);
        try {
            store.put(request.holds(caller.getUserPrincipal().getName(), now), now);
        } catch (SQLException e) {
            throw new StoreException("Could not record the hold", e);
        }
        holds.changed();
        return view();
    }

    @DELETE
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Lift the hold on the whole fleet, or with ?type= the hold on one job type")
    @APIResponse(responseCode = "200", description = "Lifted: the holds left, as GET shows them")
    @APIResponse(responseCode = "404", description = "No such hold in force")
    public Response lift(@QueryParam("type") String type) {
        String scope = type == null || type.isBlank() ? Hold.FLEET : type.trim();
        boolean lifted;
        try {
            lifted = store.lift(scope, clock.instant());
        } catch (SQLException e) {
            throw new StoreException("Could not lift the hold", e);
        }
        if (!lifted) {
            return ErrorBody.of(404, Hold.FLEET.equals(scope) ? "the fleet is not held" : "type " + scope + " is not held");
        }
        holds.changed();
        return Response.ok(view()).build();
    }

    /** @return the holds in force as the store has them now (this server's copy may be up to a second older), and this server's state */
    private JsonObject view() {
        Instant now = clock.instant();
        List<Hold> inForce;
        try {
            inForce = store.all().stream().filter(h -> h.holdsAt(now)).toList();
        } catch (SQLException e) {
            throw new StoreException("Could not read the holds", e);
        }
        JsonObjectBuilder json = JSON.createObjectBuilder();
        inForce.stream().filter(Hold::fleet).findFirst()
                .ifPresentOrElse(h -> json.add("fleet", HoldJson.of(h)), () -> json.addNull("fleet"));
        JsonArrayBuilder types = JSON.createArrayBuilder();
        inForce.stream().filter(h -> !h.fleet()).forEach(h -> types.add(JSON.createObjectBuilder().add("type", h.scope()).addAll(HoldJson.of(h))));
        return json.add("types", types)
                .add("server", JSON.createObjectBuilder()
                        .add("serverId", settings.serverId())
                        .add("frozen", role.frozen())
                        .add("freezeFlag", role.frozenByFlag())
                        .add("heldTypes", JSON.createArrayBuilder(role.heldTypes())))
                .build();
    }
}
