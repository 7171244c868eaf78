package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.dispatch.Cancellations;
import io.workerrole.jobs.control.DeadJobRequeue;
import io.workerrole.jobs.control.intake.JobIntake;
import io.workerrole.jobs.control.intake.JobRequestParser;
import io.workerrole.jobs.control.JobJson;
import io.workerrole.jobs.control.dispatch.JobLogKeeper;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.WaitingReasons;
import io.workerrole.jobs.control.store.JobStatistics;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
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
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import static io.workerrole.platform.SharedJson.JSON;

/** Submit jobs and follow them: {@code POST /api/jobs}, {@code GET /api/jobs/{id}}, {@code GET /api/jobs}. */
@ApplicationScoped
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    @Inject
    JobIntake intake;

    @Inject
    JobQueries queries;

    @Inject
    JobLogKeeper logs;

    @Inject
    JobStatistics statistics;

    @Inject
    JobSettings settings;

    @Inject
    RoleLifecycle role;

    @Inject
    DeadJobRequeue requeue;

    @Inject
    Cancellations cancellations;

    @Inject
    WaitingReasons waiting;

    @Inject
    Clock clock;

    @POST
    @RolesAllowed(Roles.SUBMITTER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job, or a batch of jobs", description = "The body is the job message: {\"type\": ..., \"payload\": ..., "
            + "\"idempotencyKey\", \"sequence\", \"mutex\", \"callbackUrl\", \"priority\"}. Only type is required. "
            + "Or a JSON array of job messages (a batch, at most worker.http.maxBatchJobs): each is judged on its own and "
            + "the answer (200) has one result per element, in order: {\"jobs\": [{\"status\": 202, \"id\": ...}, "
            + "{\"status\": 422, \"error\": ...}, ...]} with each status as a single submission would have it.")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the job")
    @APIResponse(responseCode = "200", description = "A duplicate of an earlier job of the same caller (same idempotencyKey): "
            + "that job; only its {\"id\", \"state\"} unless the caller has job-viewer")
    @APIResponse(responseCode = "400", description = "Not JSON, not an object, or not UTF-8")
    @APIResponse(responseCode = "413", description = "Larger than worker.maxPayloadBytes")
    @APIResponse(responseCode = "415", description = "The body is not application/json")
    @APIResponse(responseCode = "422", description = "A field is missing or wrong, the type is unknown, or the callback's host is not allowed")
    @APIResponse(responseCode = "503", description = "The worker is starting or stopping")
    public Response submit(InputStream body, @Context UriInfo uri, @Context SecurityContext security) throws IOException {
        if (role.phase() != RolePhase.RUNNING) {
            return ErrorBody.notRunning(role.phase());
        }
        String text = RequestBodies.readUtf8(body, Math.max(settings.maxPayloadBytes(), settings.maxBatchBytes()));
        Arrival arrival = arrival(security);
        if (isArray(text)) {
            return submitBatch(text, arrival);
        }
        JobRequest request = intake.parse(text);
        return accepted(intake.submit(request, arrival), uri, security);
    }

    /** @return how a request from this caller arrives: over HTTP, its idempotency keys the caller's own */
    private Arrival arrival(SecurityContext security) {
        return Arrival.of(JobSource.HTTP, clock.instant()).by(IdempotencyScope.caller(security.getUserPrincipal()));
    }

    /**
     * @return 202 with the new job and its Location, or 200 with the earlier job of a duplicate:
     *         all of it for a caller who may view jobs, else only its id and state (what the
     *         caller needs to follow its own job, and no more than a new job's answer tells)
     */
    public static Response accepted(Acceptance acceptance, UriInfo uri, SecurityContext security) {
        URI location = uri.getBaseUriBuilder().path(JobsResource.class).path(acceptance.job().id()).build();
        Job job = acceptance.job();
        boolean whole = !acceptance.duplicate() || security.isUserInRole(Roles.VIEWER);
        return Response.status(acceptance.duplicate() ? Response.Status.OK : Response.Status.ACCEPTED)
                .location(location)
                .entity(whole ? JobJson.view(job, null)
                        : JSON.createObjectBuilder().add("id", job.id()).add("state", job.state().name()).build())
                .build();
    }

    /** A batch: one result per element, in order; the valid ones recorded together. */
    private Response submitBatch(String text, Arrival arrival) {
        List<JobRequestParser.Element> elements = intake.parseBatch(text);
        List<JobRequest> valid = elements.stream().map(JobRequestParser.Element::request).filter(Objects::nonNull).toList();
        Iterator<Acceptance> accepted = intake.submitAll(valid, arrival).iterator();
        JsonArrayBuilder results = JSON.createArrayBuilder();
        for (JobRequestParser.Element element : elements) {
            if (element.request() == null) {
                results.add(JSON.createObjectBuilder()
                        .add("status", element.problem().kind().httpStatus())
                        .add("error", element.problem().getMessage()));
            } else {
                Acceptance acceptance = accepted.next();
                results.add(JSON.createObjectBuilder()
                        .add("status", acceptance.duplicate() ? 200 : 202)
                        .add("id", acceptance.job().id())
                        .add("state", acceptance.job().state().name()));
            }
        }
        return Response.ok(JSON.createObjectBuilder().add("jobs", results).build()).build();
    }

    private static boolean isArray(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '[';
            }
        }
        return false;
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A job's status, result and history", description = "A QUEUED job whose type no live server runs "
            + "says so: \"waiting\": \"no live server runs type TYPE\"; one whose mutex another job holds: \"waiting\": "
            + "\"mutex KEY is held by job ID\".")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job")
    public Response get(@PathParam("id") String id) {
        return queries.find(id)
                .map(job -> Response.ok(JobJson.view(job, queries.history(id), waiting.of(job).orElse(null))).build())
                .orElseGet(() -> ErrorBody.of(404, "no job " + id));
    }

    @GET
    @Path("{id}/log")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The last lines a job's handler logged", description = "At most worker.jobs.logLines lines, oldest first, "
            + "each with its attempt; of a job running on another server, those it has written (every third of a lease).")
    @APIResponse(responseCode = "200", description = "{\"jobId\", \"keeps\", \"lines\": [{\"at\", \"attempt\", \"level\", \"message\"}]}")
    @APIResponse(responseCode = "404", description = "No such job")
    public Response log(@PathParam("id") String id) {
        if (queries.find(id).isEmpty()) {
            return ErrorBody.of(404, "no job " + id);
        }
        return Response.ok(JobJson.log(id, logs.lines(id), settings.logLines())).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List jobs, newest first", description = "Filter by state, type, idempotencyKey, the time they were recorded "
            + "(from inclusive, to exclusive, ISO-8601 instants), text in their error (errorContains, in any case) or their whole "
            + "error (error); follow \"next\" for the next page.")
    @APIResponse(responseCode = "200", description = "{\"jobs\": [...], \"next\": URL or absent}")
    @APIResponse(responseCode = "400", description = "An unknown state, a bad instant, limit or cursor")
    public Response list(@BeanParam JobFilterParams filter, @QueryParam("limit") String limit, @QueryParam("before") String before,
                         @Context UriInfo uri) {
        Paging paging = Paging.of(limit, before);
        List<Job> page = queries.list(filter.filter(), paging.limit(), paging.before());
        JsonArrayBuilder jobs = JSON.createArrayBuilder();
        page.forEach(job -> jobs.add(JobJson.view(job, null, waiting.of(job).orElse(null))));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("jobs", jobs);
        if (!page.isEmpty()) {
            paging.addNext(json, uri, page.size(), page.get(page.size() - 1).seq());
        }
        return Response.ok(json.build()).build();
    }

    @GET
    @Path("dead-groups")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The dead jobs grouped by type and error, the biggest groups first",
            description = "Requeue a group with POST /api/jobs/requeue?type=TYPE&error=ERROR.")
    @APIResponse(responseCode = "200", description = "{\"groups\": [{\"type\", \"error\", \"count\", \"latestAt\"}]}")
    @APIResponse(responseCode = "400", description = "A bad limit")
    public JsonObject deadGroups(@QueryParam("limit") String limit) {
        JsonArrayBuilder groups = JSON.createArrayBuilder();
        statistics.deadGroups(Paging.of(limit, null).limit()).forEach(group -> {
            JsonObjectBuilder json = JSON.createObjectBuilder().add("type", group.type()).add("count", group.count());
            if (group.error() != null) {
                json.add("error", group.error());
            }
            if (group.latest() != null) {
                json.add("latestAt", group.latest().toString());
            }
            groups.add(json);
        });
        return JSON.createObjectBuilder().add("groups", groups).build();
    }

    @POST
    @Path("{id}/requeue")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Requeue a DEAD or CANCELLED job", description = "It runs again with a fresh set of attempts; its history keeps the past; "
            + "its copy in worker.dead is removed.")
    @APIResponse(responseCode = "200", description = "The job, QUEUED")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job is not DEAD or CANCELLED")
    public Response requeue(@PathParam("id") String id) {
        return requeue.requeue(id)
                .map(job -> Response.ok(JobJson.view(job, null)).build())
                .orElseGet(() -> ErrorBody.of(404, "no job " + id));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Cancel a job", description = "A waiting job (QUEUED, SCHEDULED, or FAILED and waiting for its retry) is "
            + "CANCELLED at once and never runs. A RUNNING job's handler is told (JobContext.cancelled()) and interrupted after "
            + "worker.stoppingWaitTime; the job ends CANCELLED when its handler returns.")
    @APIResponse(responseCode = "200", description = "The job, CANCELLED")
    @APIResponse(responseCode = "202", description = "The job, still RUNNING, with \"cancelRequested\": true")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Response cancel(@PathParam("id") String id, @Context SecurityContext security) {
        String by = security.getUserPrincipal() == null ? "an unknown user" : security.getUserPrincipal().getName();
        return cancellations.cancel(id, by).map(cancellation -> switch (cancellation.result()) {
            case CANCELLED -> Response.ok(JobJson.view(cancellation.job(), null)).build();
            case REQUESTED -> Response.accepted(JSON.createObjectBuilder(JobJson.view(cancellation.job(), null))
                    .add("cancelRequested", true).build()).build();
            case ALREADY_FINISHED -> ErrorBody.of(409, "job " + id + " has already finished: it is " + cancellation.job().state());
        }).orElseGet(() -> ErrorBody.of(404, "no job " + id));
    }

    @POST
    @Path("requeue")
    @RolesAllowed(Roles.OPERATOR)
    @Audited
    @Operation(summary = "Requeue the DEAD jobs a filter takes, or every DEAD job", description = "The filters of the listing "
            + "(type, idempotencyKey, from, to, errorContains, error; a state is ignored: only DEAD jobs are requeued). "
            + "Their copies in worker.dead are removed.")
    @APIResponse(responseCode = "200", description = "{\"requeued\": count}")
    @APIResponse(responseCode = "400", description = "A bad instant")
    public JsonObject requeueDead(@BeanParam JobFilterParams filter) {
        int requeued = requeue.requeueDead(filter.filter());
        return JSON.createObjectBuilder().add("requeued", requeued).build();
    }
}
