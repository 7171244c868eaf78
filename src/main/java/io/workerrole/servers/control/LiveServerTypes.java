package io.workerrole.servers.control;

import io.workerrole.jobs.boundary.FleetTypes;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.StoreOutage;
import io.workerrole.platform.WorkerDatabase;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The job types the other live servers run, from their heartbeats: those seen within the lease
 * that have not said they stop. Read from the store at most once a second (the intake asks for
 * each job of a type this server does not run), so a server that starts or stops is seen within
 * a second of its beat. When the store cannot be read, the last answer stands (the outage logged
 * once, {@link StoreOutage}):
 * an outage of the store stops the intake anyway, and a refusal of every other role's jobs
 * meanwhile would be wrong. On Derby the store is embedded and this server is the only one.
 */
@ApplicationScoped
public class LiveServerTypes implements FleetTypes {

    /** How long an answer read from the store is used before it is read again. */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(LiveServerTypes.class.getName());

    @Inject
    ServerStore store;

    @Inject
    WorkerSettings settings;

    @Inject
    WorkerDatabase database;

    @Inject
    Clock clock;

    private record Answer(Set<String> types, Instant readAt) {
    }

    private volatile Answer last;
    private final StoreOutage outage = new StoreOutage(LOG, "the job types of the other servers stay as last read");
    /** The store's kind, asked once (it opens a connection). */
    private Dialect dialect;

    @Override
    public Set<String> otherServersTypes() {
        Answer answer = last;
        Instant now = clock.instant();
        if (answer != null && now.isBefore(answer.readAt().plus(FRESH_FOR))) {
            return answer.types();
        }
        return read(now);
    }

    /** One reader at a time: the others wait for its answer rather than ask the store too. */
    private synchronized Set<String> read(Instant now) {
        Answer answer = last;
        if (answer != null && now.isBefore(answer.readAt().plus(FRESH_FOR))) {
            return answer.types();
        }
        Set<String> types;
        try {
            if (dialect == null) {
                dialect = database.dialect();
            }
            types = dialect == Dialect.DERBY ? Set.of() : store.liveTypes(now.minus(settings.lease()), settings.serverId());
            outage.succeeded();
        } catch (StoreException e) {
            outage.failed(e);
            types = answer == null ? Set.of() : answer.types();
        }
        last = new Answer(types, now);
        return types;
    }
}
