package io.workerrole.pipelines.boundary;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.pipelines.control.PipelineCatalog;
import io.workerrole.pipelines.control.PipelineConductor;
import io.workerrole.pipelines.control.PipelineDefinitionStore;
import io.workerrole.pipelines.control.PipelineDefinitions;
import io.workerrole.pipelines.control.PipelineJobLinks;
import io.workerrole.pipelines.control.PipelineRunQueries;
import io.workerrole.pipelines.control.PipelineSettings;
import io.workerrole.pipelines.control.RunRequests;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.pipelines.entity.RunRequest;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.platform.rest.Paging;
import io.workerrole.platform.rest.RequestBodies;
import io.workerrole.platform.security.Audited;
import io.workerrole.platform.security.IdempotencyScope;
import io.workerrole.platform.security.Roles;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.role.entity.RolePhase;
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
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.SharedJson.JSON;

/** Pipelines (declared in code or posted as JSON) and their runs: start, follow, cancel. */
@ApplicationScoped
@Path("pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class PipelinesResource {

    @Inject
    PipelineCatalog catalog;

    @Inject
    PipelineConductor conductor;

    @Inject
    PipelineRunQueries runs;

    @Inject
    PipelineJobLinks links;

    @Inject
    PipelineSettings settings;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    RoleLifecycle role;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The pipelines: declared in code (origin CODE) and posted here (origin API)")
    @APIResponse(responseCode = "200", description = "{\"pipelines\": [...]}")
    public JsonObject list() {
        JsonArrayBuilder pipelines = JSON.createArrayBuilder();
        catalog.all().forEach(entry -> pipelines.add(PipelineJson.pipeline(entry)));
        return JSON.createObjectBuilder().add("pipelines", pipelines).build();
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One pipeline")
    @APIResponse(responseCode = "200", description = "The pipeline")
    @APIResponse(responseCode = "404", description = "No such pipeline")
    public Response get(@PathParam("name") String name) {
        return catalog.find(name).map(entry -> Response.ok(PipelineJson.pipeline(entry)).build())
                .orElseGet(() -> ErrorBody.of(404, "no pipeline " + name));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Create or replace a pipeline", description = "{\"steps\": [{\"type\", \"name\", \"compensation\", \"fanOut\", "
            + "\"deadline\", \"deadlineRetries\", \"priority\"}, ...]}; only each step's type is required. Runs under way keep "
            + "the definition they started with.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "409", description = "The application declares a pipeline of that name in code")
    @APIResponse(responseCode = "422", description = "A field is wrong or no live server runs a job type it names")
    public Response put(@PathParam("name") String name, InputStream body, @Context UriInfo uri) throws IOException {
        Pipeline pipeline = PipelineDefinitions.parse(name, RequestBodies.readUtf8(body, workerSettings.maxPayloadBytes()));
        PipelineDefinitionStore.Put put = catalog.put(pipeline);
        JsonObject json = PipelineJson.pipeline(new PipelineCatalog.Entry(pipeline, PipelineCatalog.Origin.API));
        return put == PipelineDefinitionStore.Put.CREATED
                ? Response.created(uri.getAbsolutePath()).entity(json).build()
                : Response.ok(json).build();
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.ADMIN)
    @Audited
    @Operation(summary = "Delete a pipeline posted here", description = "Runs under way go on to their end.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such pipeline posted here")
    @APIResponse(responseCode = "409", description = "The pipeline is declared in code")
    public Response delete(@PathParam("name") String name) {
        return catalog.delete(name) ? Response.noContent().build() : ErrorBody.of(404, "no pipeline " + name + " was posted");
    }

    @POST
    @Path("{name}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUBMITTER)
    @Operation(summary = "Start a run", description = "{\"payload\": the first step's payload, \"idempotencyKey\": one run per key}; "
            + "both optional.")
    @APIResponse(responseCode = "201", description = "Started; Location names the run")
    @APIResponse(responseCode = "200", description = "A run of the same caller with that idempotencyKey exists: that run; "
            + "only its {\"id\", \"state\"} unless the caller has job-viewer")
    @APIResponse(responseCode = "404", description = "No such pipeline")
    @APIResponse(responseCode = "422", description = "A field is wrong, or the first step fans out and the payload is no array")
    @APIResponse(responseCode = "503", description = "The worker is starting or stopping")
    public Response start(@PathParam("name") String name, InputStream body, @Context UriInfo uri, @Context SecurityContext security)
            throws IOException {
        if (role.phase() != RolePhase.RUNNING) {
            return ErrorBody.notRunning(role.phase());
        }
        RunRequest request = RunRequests.parse(RequestBodies.readUtf8(body, workerSettings.maxPayloadBytes()), name);
        String scope = IdempotencyScope.of("http", IdempotencyScope.caller(security.getUserPrincipal()));
        PipelineConductor.Started started = conductor.start(catalog.require(name), request.payload(), scope, request.idempotencyKey());
        PipelineRun run = started.run();
        URI location = uri.getBaseUriBuilder().path(PipelinesResource.class).path("runs").path(run.id()).build();
        // An earlier run is shown whole only to who may view runs; else what the caller needs to follow it.
        boolean whole = !started.duplicate() || security.isUserInRole(Roles.VIEWER);
        return Response.status(started.duplicate() ? Response.Status.OK : Response.Status.CREATED)
                .location(location)
                .entity(whole ? PipelineJson.run(run, null, stuckBefore())
                        : JSON.createObjectBuilder().add("id", run.id()).add("state", run.state().name()).build())
                .build();
    }

    @GET
    @Path("runs")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List runs, newest first", description = "Filter by pipeline and state; follow \"next\" for the next page.")
    @APIResponse(responseCode = "200", description = "{\"runs\": [...], \"next\": URL or absent}")
    @APIResponse(responseCode = "400", description = "An unknown state or a bad limit or cursor")
    public JsonObject runs(@QueryParam("pipeline") String pipeline, @QueryParam("state") String state,
                           @QueryParam("limit") String limit, @QueryParam("before") String before, @Context UriInfo uri) {
        PipelineRunState filter = Paging.filter("state", state, PipelineRunState.class);
        Paging paging = Paging.of(limit, before);
        List<PipelineRun> page = runs.list(pipeline == null || pipeline.isBlank() ? null : pipeline, filter,
                paging.limit(), paging.before());
        JsonArrayBuilder runs = JSON.createArrayBuilder();
        Instant stuckBefore = stuckBefore();
        page.forEach(run -> runs.add(PipelineJson.run(run, null, stuckBefore)));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("runs", runs);
        if (!page.isEmpty()) {
            paging.addNext(json, uri, page.size(), page.get(page.size() - 1).seq());
        }
        return json.build();
    }

    @GET
    @Path("runs/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A run: its state, and each step's state, jobs, times, results and errors")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run")
    public Response run(@PathParam("id") String id) {
        return runs.find(id)
                .map(run -> Response.ok(PipelineJson.run(run, links.stepJobs(id), stuckBefore())).build())
                .orElseGet(() -> ErrorBody.of(404, "no pipeline run " + id));
    }

    @POST
    @Path("runs/{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Cancel a run", description = "Its jobs under way are cancelled (their handlers see cancelled()), then "
            + "what succeeded is compensated, in reverse order; the run ends CANCELLED (or COMPENSATION_FAILED).")
    @APIResponse(responseCode = "202", description = "The run, unwinding")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run has ended, or is already being compensated")
    public Response cancel(@PathParam("id") String id) {
        return conductor.cancel(id).map(result -> switch (result) {
            case REQUESTED -> Response.accepted(PipelineJson.run(runs.find(id).orElseThrow(), null, stuckBefore())).build();
            case ALREADY_UNWINDING -> ErrorBody.of(409, "pipeline run " + id + " is already being compensated");
            case ALREADY_FINISHED -> ErrorBody.of(409, "pipeline run " + id + " has already ended");
        }).orElseGet(() -> ErrorBody.of(404, "no pipeline run " + id));
    }

    private Instant stuckBefore() {
        return clock.instant().minus(settings.stuckAfter());
    }
}
