package io.workerrole.dashboard.boundary;

import io.workerrole.api.JobState;
import io.workerrole.jobs.boundary.JobFigures;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.FinishedMinute;
import io.workerrole.jobs.entity.QueueDepth;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.security.Roles;
import io.workerrole.role.boundary.HoldJson;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.servers.boundary.ServerJson;
import io.workerrole.servers.boundary.ServerList;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code GET /api/overview}: the dashboard's first page in one call — this server's phase and
 * freeze, the unfinished jobs by state, the queues and how long their oldest jobs have waited,
 * the jobs finished in each minute of the last hour, and the servers' heartbeats. Each figure
 * is one query on an index, so the answer stays quick on a store of millions of jobs.
 */
@ApplicationScoped
@Path("overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    /** The chart's span: the last hour, a minute at a time. */
    static final int MINUTES = 60;
    private static final int QUEUES_SHOWN = 20;
    private static final int SERVERS_SHOWN = 100;
    private static final List<JobState> COUNTED = List.of(JobState.QUEUED, JobState.SCHEDULED, JobState.RUNNING, JobState.FAILED,
            JobState.DEAD);
    private static final List<JobState> ENDINGS = List.of(JobState.SUCCEEDED, JobState.DEAD, JobState.CANCELLED, JobState.REJECTED);

    @Inject
    JobFigures jobs;

    @Inject
    ServerList servers;

    @Inject
    RoleLifecycle role;

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The worker at a glance", description = "This server's phase and freeze; the unfinished and dead jobs by "
            + "state; the age of the oldest queued job (the queue's lag), overall and by type (the deepest 20 queues); the jobs "
            + "that ended in each minute of the last hour by how they ended (SUCCEEDED, DEAD, CANCELLED, REJECTED: a message that was not a job), oldest minute first; "
            + "and the servers sharing the job store with their last heartbeat.")
    @APIResponse(responseCode = "200", description = "{\"phase\", \"frozen\", \"frozenByFlag\", \"fleetFreeze\" (while one holds), \"heldTypes\", \"server\", \"at\", \"counts\", \"oldestQueuedAgeSeconds\", "
            + "\"queues\", \"perMinute\", \"servers\"}")
    public JsonObject overview() {
        Instant now = clock.instant();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("phase", role.phase().name())
                .add("frozen", role.frozen())
                .add("frozenByFlag", role.frozenByFlag())
                .add("heldTypes", JSON.createArrayBuilder(role.heldTypes()))
                .add("server", settings.serverId())
                .add("at", now.toString());
        role.fleetHold().ifPresent(hold -> json.add("fleetFreeze", HoldJson.of(hold)));
        BacklogByType waiting = jobs.backlogByType(QUEUES_SHOWN);
        Backlog backlog = waiting.totals();
        JsonObjectBuilder counts = JSON.createObjectBuilder();
        COUNTED.forEach(state -> counts.add(state.name(), backlog.count(state)));
        json.add("counts", counts);
        if (backlog.oldestQueued() != null) {
            json.add("oldestQueuedAgeSeconds", ageSeconds(backlog.oldestQueued(), now));
        }
        return json.add("queues", queues(waiting.queues(), now))
                .add("perMinute", perMinute(now))
                .add("servers", servers(now))
                .build();
    }

    private static JsonArrayBuilder queues(List<QueueDepth> depths, Instant now) {
        JsonArrayBuilder queues = JSON.createArrayBuilder();
        depths.forEach(queue -> queues.add(JSON.createObjectBuilder()
                .add("type", queue.type())
                .add("queued", queue.queued())
                .add("oldestAgeSeconds", ageSeconds(queue.oldest(), now))));
        return queues;
    }

    private JsonArrayBuilder perMinute(Instant now) {
        Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES - 1));
        JsonArrayBuilder minutes = JSON.createArrayBuilder();
        for (FinishedMinute minute : jobs.finishedPerMinute(from, MINUTES)) {
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("minute", minute.minute().toString());
            ENDINGS.forEach(state -> entry.add(state.name(), minute.count(state)));
            minutes.add(entry);
        }
        return minutes;
    }

    private JsonArrayBuilder servers(Instant now) {
        Duration lease = settings.lease();
        JsonArrayBuilder list = JSON.createArrayBuilder();
        servers.first(SERVERS_SHOWN).forEach(server -> list.add(ServerJson.view(server, now, lease)));
        return list;
    }

    /** Seconds, to the millisecond, since the instant (0 for one in the future, as clocks of servers differ). */
    private static double ageSeconds(Instant since, Instant now) {
        return Math.max(0, Duration.between(since, now).toMillis()) / 1000.0;
    }
}
