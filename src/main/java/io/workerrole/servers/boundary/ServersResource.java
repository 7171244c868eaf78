package io.workerrole.servers.boundary;

import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.Paging;
import io.workerrole.platform.security.Roles;
import io.workerrole.servers.control.ServerStore;
import io.workerrole.servers.entity.ServerStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The servers of the job store: {@code GET /api/servers} lists each with its last heartbeat, and
 * shows as gone every server whose heartbeat is older than the lease, as this server's clock and
 * {@code worker.lease} judge it.
 */
@ApplicationScoped
@Path("servers")
@Produces(MediaType.APPLICATION_JSON)
public class ServersResource {

    @Inject
    ServerStore store;

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The servers sharing the job store, by id, each with its last heartbeat",
            description = "Each server records its phase, freeze, running jobs and concurrency, its role (worker.role), the "
                    + "version of its WAR and the job types it runs every third of worker.lease; "
                    + "one whose last heartbeat is older than the lease is \"gone\" (it died, or cannot reach the database). "
                    + "Servers gone for a day are no longer listed. Follow \"next\" for the next page.")
    @APIResponse(responseCode = "200", description = "{\"servers\": [...], \"lease\": \"PT1M\", \"next\": URL or absent}")
    @APIResponse(responseCode = "400", description = "A bad limit")
    public JsonObject list(@QueryParam("limit") String limit, @QueryParam("after") String after, @Context UriInfo uri) {
        Paging paging = Paging.of(limit, null);
        List<ServerStatus> page = store.page(paging.limit(), after == null || after.isEmpty() ? null : after);
        Instant now = clock.instant();
        Duration lease = settings.lease();
        JsonArrayBuilder servers = JSON.createArrayBuilder();
        page.forEach(server -> servers.add(ServerJson.view(server, now, lease)));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("servers", servers).add("lease", lease.toString());
        if (!page.isEmpty()) {
            paging.addNext(json, uri, page.size(), "after", page.get(page.size() - 1).serverId());
        }
        return json.build();
    }
}
