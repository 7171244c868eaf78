package io.workerrole.scripts.boundary;

import io.workerrole.api.NonRetryableJobException;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.jobs.boundary.JobsResource;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.InvalidRequestException;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.platform.SharedJson;
import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.platform.rest.Paging;
import io.workerrole.platform.rest.RequestBodies;
import io.workerrole.platform.security.IdempotencyScope;
import io.workerrole.platform.security.Roles;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.role.entity.RolePhase;
import io.workerrole.role.entity.TaskStatus;
import io.workerrole.scripts.control.ContinuousScripts;
import io.workerrole.scripts.control.ScriptCatalog;
import io.workerrole.scripts.control.ScriptJobArguments;
import io.workerrole.scripts.control.ScriptRunFolders;
import io.workerrole.scripts.control.ScriptRunner;
import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptRun;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;
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
import java.time.Clock;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The scripts of {@code worker.scripts.dir} over HTTP: what is there and why a folder cannot
 * run, starting a triggered script with arguments, and each script's runs on this server with
 * their output. There is no upload: admins put folders on the server's disk.
 */
@ApplicationScoped
@Path("scripts")
@Produces(MediaType.APPLICATION_JSON)
public class ScriptsResource {

    /** The fields of a run request besides {@code args}: those of a job message that make sense for a script's run. */
    static final Set<String> JOB_FIELDS = Set.of("priority", "idempotencyKey", "callbackUrl", "runAt", "reply");

    @Inject
    ScriptCatalog catalog;

    @Inject
    ScriptRunner runner;

    @Inject
    RoleLifecycle role;

    @Inject
    JobService jobs;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The scripts, and the folders that cannot run", description = "Each with its kind (triggered, continuous), "
            + "settings (settings.job with its defaults), state (READY or RUNNING for a triggered script, its task's state for a "
            + "continuous one, PROBLEM with the reason for a folder that cannot run) and its last run on this server.")
    @APIResponse(responseCode = "200", description = "{\"scripts\": [...]}")
    public JsonObject list() {
        Map<String, TaskStatus> tasks = tasks();
        JsonArrayBuilder all = JSON.createArrayBuilder();
        catalog.scripts().values().forEach(script -> all.add(view(script, tasks)));
        catalog.problems().values().forEach(problem -> all.add(ScriptJson.problem(problem)));
        return JSON.createObjectBuilder().add("scripts", all).build();
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One script, or why its folder cannot run")
    @APIResponse(responseCode = "200", description = "The script")
    @APIResponse(responseCode = "404", description = "No script of that name")
    public Response get(@PathParam("name") String name) {
        Optional<Script> script = catalog.script(name);
        if (script.isPresent()) {
            return Response.ok(view(script.get(), tasks())).build();
        }
        return Optional.ofNullable(catalog.problems().get(name))
                .map(problem -> Response.ok(ScriptJson.problem(problem)).build())
                .orElseGet(() -> noScript(name));
    }

    @POST
    @Path("{name}/run")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Run a triggered script", description = "The body (optional) is {\"args\": [\"...\"]} with, if wanted, the "
            + "job message's priority, idempotencyKey, callbackUrl, runAt and reply. The run is a job of type script:NAME, "
            + "followed at /api/jobs/{id}; it runs on whichever server claims it.")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the job")
    @APIResponse(responseCode = "200", description = "A duplicate of an earlier run (same idempotencyKey): its job")
    @APIResponse(responseCode = "404", description = "No triggered script of that name")
    @APIResponse(responseCode = "409", description = "The script is continuous: it runs all the time")
    @APIResponse(responseCode = "422", description = "args is not an array of strings, or another field is wrong")
    @APIResponse(responseCode = "503", description = "The worker is starting or stopping")
    public Response run(@PathParam("name") String name, InputStream body, @Context UriInfo uri, @Context SecurityContext security)
            throws IOException {
        if (role.phase() != RolePhase.RUNNING) {
            return ErrorBody.notRunning(role.phase());
        }
        Optional<Script> script = catalog.script(name);
        if (script.isEmpty()) {
            return noScript(name);
        }
        if (script.get().kind() == ScriptKind.CONTINUOUS) {
            return ErrorBody.of(409, "the script " + name + " is continuous: it runs all the time, and cannot be started");
        }
        JobRequest request = jobs.parse(jobMessage(name, RequestBodies.readUtf8(body, workerSettings.maxPayloadBytes())));
        return JobsResource.accepted(jobs.submit(request,
                Arrival.of(JobSource.HTTP, clock.instant()).by(IdempotencyScope.caller(security.getUserPrincipal()))), uri, security);
    }

    /** @return the job message of a run request: its job fields, the type script:NAME and {"args": [...]} as payload */
    static String jobMessage(String name, String body) {
        JsonObject request = body.isBlank() ? JsonValue.EMPTY_JSON_OBJECT : object(body);
        JsonObjectBuilder message = JSON.createObjectBuilder().add("type", ScriptCatalog.jobType(name));
        JsonObjectBuilder payload = JSON.createObjectBuilder();
        for (Map.Entry<String, JsonValue> field : request.entrySet()) {
            if (field.getKey().equals("args")) {
                try {
                    ScriptJobArguments.of(JSON.createObjectBuilder().add("args", field.getValue()).build());
                } catch (NonRetryableJobException e) {
                    throw new InvalidRequestException(Kind.INVALID, e.getMessage());
                }
                payload.add("args", field.getValue());
            } else if (JOB_FIELDS.contains(field.getKey())) {
                message.add(field.getKey(), field.getValue());
            } else {
                throw new InvalidRequestException(Kind.INVALID, "unknown field \"" + field.getKey() + "\"; a run request has \"args\" and "
                        + JOB_FIELDS.stream().sorted().toList());
            }
        }
        return message.add("payload", payload).build().toString();
    }

    private static JsonObject object(String body) {
        JsonValue value;
        try {
            value = SharedJson.readWhole(body);
        } catch (JsonException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "the body is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw new InvalidRequestException(Kind.MALFORMED, "a run request is a JSON object {\"args\": [\"...\"]}, not " + value);
        }
        return object;
    }

    @GET
    @Path("{name}/runs")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A script's runs on this server, newest first", description = "The newest worker.scripts.keepRuns runs keep "
            + "their record and log. A page of limit runs (1 to 500, default 50); next names the following page (before=RUN_ID).")
    @APIResponse(responseCode = "200", description = "{\"runs\": [{\"runId\", \"outcome\", \"exitCode\", \"jobId\", ...}], \"next\": ...}")
    @APIResponse(responseCode = "400", description = "limit out of range, or before not a run id")
    @APIResponse(responseCode = "404", description = "No script of that name")
    public Response runs(@PathParam("name") String name, @QueryParam("limit") String limit, @QueryParam("before") String before,
                         @Context UriInfo uri) {
        if (catalog.script(name).isEmpty() && !catalog.problems().containsKey(name)) {
            return noScript(name);
        }
        Paging paging = Paging.of(limit, null);
        if (before != null && !ScriptRunFolders.isRunId(before)) {
            throw new BadRequestException("before must be a run id such as 20261204025600011-01a758, not \"" + before + "\"");
        }
        List<ScriptRun> page = runner.folders().list(name, before, paging.limit());
        JsonArrayBuilder runs = JSON.createArrayBuilder();
        page.forEach(run -> runs.add(ScriptJson.run(run)));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("script", name).add("runs", runs);
        if (!page.isEmpty()) {
            paging.addNext(json, uri, page.size(), "before", page.get(page.size() - 1).runId());
        }
        return Response.ok(json.build()).build();
    }

    @GET
    @Path("{name}/runs/{runId}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One run of a script")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run on this server")
    public Response run(@PathParam("name") String name, @PathParam("runId") String runId) {
        return runner.folders().read(name, runId)
                .map(run -> Response.ok(ScriptJson.run(run)).build())
                .orElseGet(() -> noRun(name, runId));
    }

    @GET
    @Path("{name}/runs/{runId}/log")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    @Operation(summary = "A run's output", description = "output_log.txt as WebJobs writes it: each line with its time and INF "
            + "(standard output) or ERR (standard error); bounded by worker.scripts.maxLogBytes.")
    @APIResponse(responseCode = "200", description = "The run's output log")
    @APIResponse(responseCode = "404", description = "No such run on this server")
    public Response log(@PathParam("name") String name, @PathParam("runId") String runId) throws IOException {
        Optional<String> log = runner.folders().readLog(name, runId);
        return log.map(text -> Response.ok(text, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build())
                .orElseGet(() -> noRun(name, runId));
    }

    private JsonObject view(Script script, Map<String, TaskStatus> tasks) {
        Optional<TaskStatus> task = Optional.ofNullable(tasks.get(ContinuousScripts.taskName(script.name())))
                .filter(t -> script.kind() == ScriptKind.CONTINUOUS);
        Optional<ScriptRun> lastRun = runner.folders().list(script.name(), null, 1).stream().findFirst();
        return ScriptJson.script(script, task, runner.folders().runsNow(script.name()), lastRun);
    }

    private Map<String, TaskStatus> tasks() {
        return role.tasks().stream().collect(Collectors.toMap(TaskStatus::name, t -> t, (a, b) -> b));
    }

    private static Response noScript(String name) {
        return ErrorBody.of(404, "no script " + name + " in the scripts folder (worker.scripts.dir)");
    }

    private static Response noRun(String name, String runId) {
        return ErrorBody.of(404, "no run " + runId + " of the script " + name + " on this server");
    }
}
