package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.FleetLimits;
import io.workerrole.jobs.control.store.TypeLimitStore;
import io.workerrole.jobs.entity.FleetLimitSetting;
import io.workerrole.jobs.entity.TypeLimit;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.platform.rest.InvalidRequestException;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import io.workerrole.platform.rest.RequestBodies;
import io.workerrole.platform.security.Audited;
import io.workerrole.platform.security.Roles;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code /api/fleet/limits}: an admin limits a job type across the whole fleet (how many of its
 * jobs run at once, how many start per second) without editing each server.xml. The values are
 * kept in the job store and win over each server's {@code worker.limits.TYPE.*}, field by field;
 * every server applies them within a second ({@link FleetLimits}). Removing them leaves each
 * server's own again.
 */
@ApplicationScoped
@Path("fleet/limits")
@Produces(MediaType.APPLICATION_JSON)
public class FleetLimitsResource {

    /** The most types limited over the API, so that GET lists them all in one answer. */
    static final int MAX_TYPES = 1000;

    @Inject
    TypeLimitStore store;

    @Inject
    FleetLimits limits;

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The job types limited across the fleet: the API's values, this server's server.xml values, the limit in force here, and how many run now")
    @APIResponse(responseCode = "200", description = "{\"serverId\", \"types\": [{\"type\", \"api\": {\"concurrency\", \"perSecond\", \"setBy\", "
            + "\"setAt\"} or null, \"server\": {\"concurrency\", \"perSecond\"} or null, \"effective\": {\"concurrency\", \"perSecond\"}, \"running\"}]}")
    public JsonObject get() {
        return view();
    }

    @PUT
    @Path("{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Limit a job type across the fleet",
            description = "{\"concurrency\": 5, \"perSecond\": 20}, either optional (not both): the most of the type's jobs running at once on all "
                    + "servers together, and the most starting per second (a decimal: 0.5 is one every two seconds). Replaces the type's "
                    + "limit set over the API before; a field left out leaves each server's worker.limits.TYPE.* value. Applies within a second.")
    @APIResponse(responseCode = "200", description = "Set: the limits as GET shows them")
    @APIResponse(responseCode = "400", description = "Not a JSON object")
    @APIResponse(responseCode = "422", description = "A field is wrong: unknown, out of bounds, or neither given")
    public JsonObject put(@PathParam("type") String type, InputStream body, @Context SecurityContext caller) throws IOException {
        String name = FleetLimitRequest.type(type);
        FleetLimitRequest request = FleetLimitRequest.parse(RequestBodies.readUtf8(body, settings.maxPayloadBytes()));
        Instant now = clock.instant();
        try {
            if (store.setting(name).isEmpty() && store.settings().size() >= MAX_TYPES) {
                throw new InvalidRequestException(Kind.INVALID, "the API limits " + MAX_TYPES + " types already: remove one first");
            }
            store.put(new FleetLimitSetting(name, request.concurrency(), request.perSecond(), caller.getUserPrincipal().getName(), now), now);
        } catch (SQLException e) {
            throw new StoreException("Could not record the limit", e);
        }
        limits.changed();
        return view();
    }

    @DELETE
    @Path("{type}")
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Remove the limit set over the API on a job type: each server's worker.limits.TYPE.* apply again")
    @APIResponse(responseCode = "200", description = "Removed: the limits left, as GET shows them")
    @APIResponse(responseCode = "404", description = "The type has no limit set over the API")
    public Response remove(@PathParam("type") String type) {
        String name = FleetLimitRequest.type(type);
        boolean removed;
        try {
            removed = store.remove(name);
        } catch (SQLException e) {
            throw new StoreException("Could not remove the limit", e);
        }
        if (!removed) {
            return ErrorBody.of(404, "type " + name + " has no limit set over the API");
        }
        limits.changed();
        return Response.ok(view()).build();
    }

    /** @return every limited type as the store and this server's settings have them now */
    private JsonObject view() {
        Map<String, FleetLimitSetting> fromApi = new TreeMap<>();
        Map<String, Integer> running;
        try {
            store.settings().forEach(setting -> fromApi.put(setting.type(), setting));
            running = store.running();
        } catch (SQLException e) {
            throw new StoreException("Could not read the limits", e);
        }
        TreeSet<String> types = new TreeSet<>(fromApi.keySet());
        types.addAll(limits.serverTypes());
        // What this server's claims apply now: a limit set on another server is in force here within a second.
        Map<String, TypeLimit> inForce = limits.inForce();
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (String type : types) {
            FleetLimitSetting api = fromApi.get(type);
            Optional<TypeLimit> server = limits.ofServer(type);
            Optional<TypeLimit> effective = Optional.ofNullable(inForce.get(type));
            if (effective.isEmpty()) {
                continue; // not in force here (yet), or a server.xml value that does not parse: it limits nothing
            }
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("type", type);
            if (api == null) {
                entry.addNull("api");
            } else {
                entry.add("api", values(api.concurrency(), api.perSecond()).add("setBy", api.setBy()).add("setAt", api.setAt().toString()));
            }
            server.ifPresentOrElse(limit -> entry.add("server", values(limit.concurrency(), limit.perSecond())), () -> entry.addNull("server"));
            list.add(entry.add("effective", values(effective.get().concurrency(), effective.get().perSecond()))
                    .add("running", running.getOrDefault(type, 0)));
        }
        return JSON.createObjectBuilder().add("serverId", settings.serverId()).add("types", list).build();
    }

    private static JsonObjectBuilder values(Integer concurrency, Double perSecond) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        if (concurrency == null) {
            json.addNull("concurrency");
        } else {
            json.add("concurrency", concurrency);
        }
        if (perSecond == null) {
            json.addNull("perSecond");
        } else {
            json.add("perSecond", perSecond);
        }
        return json;
    }
}
