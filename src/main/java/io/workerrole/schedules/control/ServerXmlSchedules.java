package io.workerrole.schedules.control;

import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleConflictException;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleOrigin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The schedules admins declare in server.xml, one {@code <variable>} per field:
 * {@code worker.schedule.NAME.cron}, {@code worker.schedule.NAME.type}, ... Read on every sync,
 * so that adding, changing or removing one in the running server's configuration takes effect
 * within a sync interval. A declaration that is not valid is logged (once) with the reason and
 * does not run; the others do.
 */
@ApplicationScoped
public class ServerXmlSchedules {

    /**
     * A schedule whose declaration is gone is deleted only once it has stayed gone this long:
     * while Liberty shuts down it shows no server.xml variables for a moment.
     */
    static final Duration REMOVAL_SETTLE_TIME = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger("io.workerrole.schedules");

    @Inject
    ScheduleDefinitionStore store;

    @Inject
    JobService jobs;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    Clock clock;

    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> goneSince = new ConcurrentHashMap<>();

    /** Brings the store in line with server.xml. */
    public synchronized void sync() {
        Map<String, Map<String, String>> declared = declarations(ConfigProvider.getConfig());
        ScheduleSpecs specs = new ScheduleSpecs(jobs.types(), workerSettings.maxPayloadBytes());
        declared.forEach((name, fields) -> store(specs, name, fields));
        Instant now = clock.instant();
        for (Schedule schedule : store.list()) {
            if (schedule.definition().origin() != ScheduleOrigin.SERVER_XML || declared.containsKey(schedule.name())) {
                goneSince.remove(schedule.name());
                continue;
            }
            Instant since = goneSince.computeIfAbsent(schedule.name(), n -> now);
            if (!now.isBefore(since.plus(REMOVAL_SETTLE_TIME)) && store.delete(schedule.name())) {
                goneSince.remove(schedule.name());
                LOG.info(() -> "[schedule " + schedule.name() + "] removed: its declaration is gone from server.xml");
            }
        }
    }

    private void store(ScheduleSpecs specs, String name, Map<String, String> fields) {
        try {
            ScheduleDefinition definition = specs.define(name, fields, ScheduleOrigin.SERVER_XML);
            PutOutcome put = store.put(definition);
            if (put != PutOutcome.UNCHANGED) {
                LOG.info(() -> "[schedule " + name + "] " + (put == PutOutcome.CREATED ? "added" : "changed") + " from server.xml: "
                        + fields);
            }
        } catch (InvalidScheduleException | ScheduleConflictException e) {
            if (reported.add(name + fields)) {
                LOG.severe(() -> "[schedule " + name + "] the declaration in server.xml (" + ScheduleSettings.DECLARATION_PREFIX + name
                        + ".*) is not used: " + e.getMessage());
            }
        }
    }

    /** @return the declared fields of each schedule, by name */
    static Map<String, Map<String, String>> declarations(Config config) {
        Map<String, Map<String, String>> declared = new TreeMap<>();
        for (String property : config.getPropertyNames()) {
            int dot = property.lastIndexOf('.');
            if (!property.startsWith(ScheduleSettings.DECLARATION_PREFIX) || dot <= ScheduleSettings.DECLARATION_PREFIX.length()) {
                continue;
            }
            String name = property.substring(ScheduleSettings.DECLARATION_PREFIX.length(), dot);
            config.getOptionalValue(property, String.class).ifPresent(value ->
                    declared.computeIfAbsent(name, n -> new HashMap<>()).put(property.substring(dot + 1), value));
        }
        return declared;
    }
}
