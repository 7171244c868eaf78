package io.workerrole.scripts.control;

import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.schedules.control.ScheduleSpecs;
import io.workerrole.schedules.control.ScheduleStore;
import io.workerrole.schedules.control.Scheduler;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleOrigin;
import io.workerrole.scripts.entity.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The schedules of triggered scripts: a {@code schedule} in a script's {@code settings.job} is the
 * stored schedule {@code script.NAME} (origin SCRIPT), whose firings start jobs of type
 * {@code script:NAME} with no arguments. It shows in {@code /api/schedules} and the dashboard,
 * where it can be paused and run now; it changes and goes with the settings.
 */
@ApplicationScoped
public class ScriptSchedules {

    static final String NAME_PREFIX = "script.";
    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    @Inject
    ScheduleStore store;

    @Inject
    HandlerRegistry handlers;

    @Inject
    JobSettings jobSettings;

    @Inject
    Scheduler scheduler;

    /** The schedules this server's last pass wanted; null before its first. */
    private Set<String> lastWanted;

    /** @return the stored schedule's name for a script */
    public static String scheduleName(String script) {
        return NAME_PREFIX + script;
    }

    /**
     * Checks a script's schedule before the script is taken on.
     *
     * @return its definition, or null if its settings have no schedule
     * @throws io.workerrole.schedules.control.InvalidScheduleException if the cron expression is not valid
     */
    ScheduleDefinition define(Script script) {
        String cron = script.settings().schedule();
        if (cron == null) {
            return null;
        }
        Set<String> types = new TreeSet<>(handlers.types());
        types.add(ScriptCatalog.jobType(script.name()));
        Map<String, String> fields = new HashMap<>();
        fields.put("cron", cron);
        fields.put("type", ScriptCatalog.jobType(script.name()));
        fields.put("payload", "{\"args\":[]}");
        if (script.settings().priority() != null) {
            fields.put("priority", script.settings().priority().toString());
        }
        return new ScheduleSpecs(types, jobSettings.maxPayloadBytes()).define(scheduleName(script.name()), fields, ScheduleOrigin.SCRIPT);
    }

    /**
     * Stores a script's schedule, or brings the stored one in line with it.
     *
     * @throws io.workerrole.schedules.control.ScheduleConflictException naming the schedule that
     *         holds the name of one of them (another origin's)
     */
    void put(ScheduleDefinition definition) {
        ScheduleStore.Put put = store.put(definition);
        if (put != ScheduleStore.Put.UNCHANGED) {
            LOG.info(() -> "[schedule " + definition.name() + "] " + (put == ScheduleStore.Put.CREATED ? "added" : "changed")
                    + " from the script's settings.job: cron " + definition.cron());
            scheduler.refresh();
        }
    }

    /**
     * Deletes the scripts' schedules whose names are not among those wanted: at the first pass
     * all such (their scripts went while the server was down), later only those of this server's
     * last pass. The store is shared: a server whose folder lacks a script (another server's
     * folder is ahead of it in a redeployment) then deletes that script's schedule once, at its
     * start, not at every scan against the server that keeps putting it back.
     */
    synchronized void keepOnly(Collection<String> wanted) {
        boolean changed = false;
        for (Schedule schedule : store.list()) {
            if (schedule.definition().origin() == ScheduleOrigin.SCRIPT && !wanted.contains(schedule.name())
                    && (lastWanted == null || lastWanted.contains(schedule.name())) && store.delete(schedule.name())) {
                changed = true;
                LOG.info(() -> "[schedule " + schedule.name() + "] removed: its script, or the script's schedule, is gone");
            }
        }
        lastWanted = Set.copyOf(wanted);
        if (changed) {
            scheduler.refresh();
        }
    }
}
