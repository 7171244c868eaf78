package io.workerrole.schedules.boundary;

import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.platform.rest.Paging;
import io.workerrole.platform.rest.RequestBodies;
import io.workerrole.platform.security.Audited;
import io.workerrole.platform.security.Roles;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.ScheduleConflictException;
import io.workerrole.schedules.control.FiringLedger;
import io.workerrole.schedules.control.ScheduleDefinitionStore;
import io.workerrole.schedules.control.ScheduleFirer;
import io.workerrole.schedules.control.ScheduleSpecs;
import io.workerrole.schedules.control.Scheduler;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.FiringOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import io.workerrole.schedules.entity.ScheduleOrigin;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Schedules at run time: {@code /api/schedules} lists, creates, changes, pauses, resumes and
 * deletes them, and shows each one's history of firings. Schedules declared in server.xml or in
 * code can be paused and resumed here; their definition is changed where it is declared.
 */
@ApplicationScoped
@Path("schedules")
@Produces(MediaType.APPLICATION_JSON)
public class SchedulesResource {

    @Inject
    ScheduleDefinitionStore store;

    @Inject
    FiringLedger ledger;

    @Inject
    Scheduler scheduler;

    @Inject
    ScheduleFirer firer;

    @Inject
    JobService jobs;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The schedules by name, each with its next firing and its last firing's outcome",
            description = "Follow \"next\" for the next page.")
    @APIResponse(responseCode = "200", description = "{\"schedules\": [...], \"next\": URL or absent}")
    @APIResponse(responseCode = "400", description = "A bad limit")
    public JsonObject list(@QueryParam("limit") String limit, @QueryParam("after") String after, @Context UriInfo uri) {
        Paging paging = Paging.of(limit, null);
        List<Schedule> page = store.page(paging.limit(), after == null || after.isEmpty() ? null : after);
        Map<String, Firing> last = ledger.lastFirings(page.stream().map(Schedule::name).toList());
        JsonArrayBuilder schedules = JSON.createArrayBuilder();
        page.forEach(schedule -> schedules.add(view(schedule, last.get(schedule.name()))));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("schedules", schedules);
        if (!page.isEmpty()) {
            paging.addNext(json, uri, page.size(), "after", page.get(page.size() - 1).name());
        }
        return json.build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Create a schedule", description = "{\"name\", one of \"cron\" (with \"zone\"), \"every\", \"delay\", "
            + "\"at\", \"after\"; \"type\", \"payload\", \"priority\", \"singleton\", \"missed\", \"startAt\"}")
    @APIResponse(responseCode = "201", description = "Created; Location names it")
    @APIResponse(responseCode = "400", description = "Not a JSON object")
    @APIResponse(responseCode = "409", description = "A schedule of that name exists")
    @APIResponse(responseCode = "422", description = "A field is missing or wrong: a bad cron expression or time zone, an unknown type, ...")
    public Response create(InputStream body, @Context UriInfo uri) throws IOException {
        ScheduleJson.Request request = ScheduleJson.request(RequestBodies.readUtf8(body, workerSettings.maxPayloadBytes()));
        ScheduleDefinition definition = define(request.name(), request);
        if (!store.create(definition)) {
            throw new ScheduleConflictException("a schedule named " + definition.name() + " exists; change it with PUT");
        }
        scheduler.refresh();
        URI location = uri.getBaseUriBuilder().path(SchedulesResource.class).path(definition.name()).build();
        return Response.created(location).entity(view(require(definition.name()), null)).build();
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One schedule")
    @APIResponse(responseCode = "200", description = "The schedule, with its next and last firing")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Response get(@PathParam("name") String name) {
        return store.find(name)
                .map(schedule -> Response.ok(view(schedule, ledger.firings(name, null, 1, null).stream().findFirst().orElse(null))).build())
                .orElseGet(() -> notFound(name));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Create or replace a schedule created through the API")
    @APIResponse(responseCode = "200", description = "Replaced (or unchanged)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The schedule is declared in server.xml or in code")
    @APIResponse(responseCode = "422", description = "A field is missing or wrong")
    public Response put(@PathParam("name") String name, InputStream body) throws IOException {
        ScheduleJson.Request request = ScheduleJson.request(RequestBodies.readUtf8(body, workerSettings.maxPayloadBytes()));
        if (request.name() != null && !request.name().equals(name)) {
            throw new InvalidScheduleException("the body names schedule " + request.name() + " but the address names " + name);
        }
        PutOutcome put = store.put(define(name, request));
        scheduler.refresh();
        return Response.status(put == PutOutcome.CREATED ? Response.Status.CREATED : Response.Status.OK)
                .entity(view(require(name), null)).build();
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Delete a schedule created through the API, and its history; the jobs it started stay")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such schedule")
    @APIResponse(responseCode = "409", description = "The schedule is declared in server.xml or in code")
    public Response delete(@PathParam("name") String name) {
        Optional<Schedule> schedule = store.find(name);
        if (schedule.isEmpty()) {
            return notFound(name);
        }
        if (schedule.get().definition().origin() != ScheduleOrigin.API) {
            throw new ScheduleConflictException(ScheduleDefinitionStore.ownedBy(schedule.get().definition()));
        }
        store.delete(name);
        scheduler.refresh();
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Pause a schedule: no firing until it is resumed")
    @APIResponse(responseCode = "200", description = "The schedule, paused")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Response pause(@PathParam("name") String name) {
        return pause(name, true);
    }

    @POST
    @Path("{name}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Resume a paused schedule at its next firing (the paused time is not owed)")
    @APIResponse(responseCode = "200", description = "The schedule, resumed")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Response resume(@PathParam("name") String name) {
        return pause(name, false);
    }

    @POST
    @Path("{name}/run")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Run a schedule now, once, besides its timetable",
            description = "A firing at this instant, recorded in the schedule's history like any other: RAN with its jobId, or "
                    + "skipped as a timed firing would be (SKIPPED_FROZEN while the worker is frozen, SKIPPED_OVERLAP while its "
                    + "last run is still going). Its timetable goes on as before.")
    @APIResponse(responseCode = "200", description = "The firing")
    @APIResponse(responseCode = "404", description = "No such schedule")
    @APIResponse(responseCode = "409", description = "The schedule is paused")
    public Response run(@PathParam("name") String name) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Schedule> schedule = store.find(name);
            if (schedule.isEmpty()) {
                return notFound(name);
            }
            if (schedule.get().paused()) {
                return ErrorBody.of(409, "schedule " + name + " is paused; resume it to run it");
            }
            Optional<Firing> firing = firer.fire(schedule.get(), clock.instant());
            if (firing.isPresent()) {
                return Response.ok(ScheduleJson.firing(firing.get())).build();
            }
            // It changed (or was paused) between the read and the firing: read it again.
        }
        return ErrorBody.of(409, "schedule " + name + " changed while it was being run; try again");
    }

    @GET
    @Path("{name}/firings")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A schedule's history of firings, newest first",
            description = "Outcomes: RAN (with its jobId), SKIPPED_OVERLAP, SKIPPED_FROZEN, MISSED. Follow \"next\" for the next page.")
    @APIResponse(responseCode = "200", description = "{\"schedule\": name, \"firings\": [...], \"next\": URL or absent}")
    @APIResponse(responseCode = "400", description = "An unknown outcome or a bad limit or cursor")
    @APIResponse(responseCode = "404", description = "No such schedule and no history")
    public Response firings(@PathParam("name") String name, @QueryParam("outcome") String outcome,
                            @QueryParam("limit") String limit, @QueryParam("before") String before, @Context UriInfo uri) {
        FiringOutcome wanted = Paging.filter("outcome", outcome, FiringOutcome.class);
        Paging paging = Paging.of(limit, before);
        List<Firing> page = ledger.firings(name, wanted, paging.limit(), paging.before());
        if (page.isEmpty() && paging.before() == null && store.find(name).isEmpty()) {
            return notFound(name);
        }
        JsonArrayBuilder firings = JSON.createArrayBuilder();
        page.forEach(firing -> firings.add(ScheduleJson.firing(firing)));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("schedule", name).add("firings", firings);
        if (!page.isEmpty()) {
            paging.addNext(json, uri, page.size(), page.get(page.size() - 1).seq());
        }
        return Response.ok(json.build()).build();
    }

    private Response pause(String name, boolean paused) {
        Optional<Schedule> schedule = store.pause(name, paused);
        if (schedule.isEmpty()) {
            return notFound(name);
        }
        scheduler.refresh();
        return Response.ok(view(schedule.get(), null)).build();
    }

    private ScheduleDefinition define(String name, ScheduleJson.Request request) {
        if (name == null) {
            throw new InvalidScheduleException("name is required");
        }
        ScheduleDefinition definition = new ScheduleSpecs(jobs.types(), workerSettings.maxPayloadBytes())
                .define(name, request.fields(), ScheduleOrigin.API);
        if (definition.kind() == ScheduleKind.ONCE && definition.startAt() != null && !definition.startAt().isAfter(clock.instant())) {
            throw new InvalidScheduleException("at " + definition.startAt() + " is in the past");
        }
        return definition;
    }

    private Schedule require(String name) {
        return store.find(name).orElseThrow(() -> new ScheduleConflictException("schedule " + name + " was deleted at the same moment"));
    }

    private JsonObject view(Schedule schedule, Firing last) {
        return ScheduleJson.view(schedule, scheduler.nextFiring(schedule, last), last);
    }

    private static Response notFound(String name) {
        return ErrorBody.of(404, "no schedule " + name);
    }
}
