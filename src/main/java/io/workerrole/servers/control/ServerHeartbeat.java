package io.workerrole.servers.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WarVersion;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.role.entity.RolePhase;
import io.workerrole.servers.entity.ServerProfile;
import io.workerrole.servers.entity.ServerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes this server's heartbeat to the job store every third of the lease: its phase, freeze,
 * running jobs and concurrency, its role, version and job types (these only when they change),
 * so that any server can list every server of the store, tell the ones that have gone quiet for
 * a lease, and know which job types the live ones run. It keeps beating while the worker is frozen (a
 * frozen server is still there, and says it is frozen), and beats once more when it is stopped,
 * so that a server stopped cleanly shows as stopping at once rather than as running until its
 * lease lapses. A failed beat is logged and tried again at the next; it never ends the task.
 */
@ApplicationScoped
@Named("server-heartbeat")
public class ServerHeartbeat implements BackgroundTask {

    /** How long a server that stopped beating stays listed (as gone) before its row is deleted. */
    static final Duration FORGET_AFTER = Duration.ofDays(1);
    /** The pause between beats while the role still starts: it reports itself running just after its tasks are launched. */
    static final Duration STARTING_PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(ServerHeartbeat.class.getName());

    @Inject
    ServerStore store;

    @Inject
    WorkerSettings settings;

    @Inject
    JobService jobs;

    @Inject
    RoleLifecycle role;

    @Inject
    WarVersion version;

    @Inject
    Clock clock;

    private volatile Instant startedAt;
    private volatile String host;
    private volatile boolean failing;
    /** The types this server last wrote to the store (null: none yet): they are written again only when they change. */
    private volatile List<String> typesWritten;

    @Override
    public boolean holdWhileFrozen() {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        if (startedAt == null) {
            startedAt = clock.instant();
            host = WorkerSettings.hostName(); // may ask DNS: once, not at every beat
        }
        do {
            beat();
        } while (!context.awaitStop(pause()));
        beat(); // the phase reads STOPPING now
    }

    private Duration pause() {
        Duration third = settings.lease().dividedBy(3);
        return role.phase() == RolePhase.STARTING && STARTING_PAUSE.compareTo(third) < 0 ? STARTING_PAUSE : third;
    }

    private void beat() {
        Instant now = clock.instant();
        try {
            ServerProfile profile = new ServerProfile(settings.role(), version.version(), List.copyOf(jobs.serverTypes()));
            ServerStatus status = new ServerStatus(settings.serverId(), host, startedAt, now, role.phase().name(), role.frozen(),
                    jobs.running(), jobs.slots(), profile);
            boolean created = store.beat(status);
            if (created || !profile.types().equals(typesWritten)) {
                // Only after the row: the types belong to it (and go when it is pruned). Forgotten
                // first, so that a write that fails is tried again at the next beat.
                typesWritten = null;
                if (store.replaceTypes(status.serverId(), profile.types())) {
                    typesWritten = profile.types();
                }
            }
            // A table of a few rows, so at every beat of every server: whichever servers are left do it.
            store.prune(now.minus(FORGET_AFTER));
            if (failing) {
                failing = false;
                LOG.info("The server's heartbeat is recorded again");
            }
        } catch (StoreException e) {
            // Once per outage: the job store's readiness check reports it meanwhile.
            if (!failing) {
                failing = true;
                LOG.log(Level.SEVERE, "Could not record the server's heartbeat; trying again at each beat", e);
            }
        }
    }
}
