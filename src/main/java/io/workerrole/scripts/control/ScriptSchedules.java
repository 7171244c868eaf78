package io.workerrole.scripts.control;

import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.ScheduleConflictException;
import io.workerrole.schedules.boundary.ScheduleService;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleOrigin;
import io.workerrole.scripts.entity.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

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
    ScheduleService schedules;

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
     * @throws io.workerrole.schedules.entity.InvalidScheduleException if the cron expression is not valid
     */
    ScheduleDefinition define(Script script) {
        String cron = script.settings().schedule();
        if (cron == null) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        fields.put("cron", cron);
        fields.put("type", ScriptCatalog.jobType(script.name()));
        fields.put("payload", "{\"args\":[]}");
        if (script.settings().priority() != null) {
            fields.put("priority", script.settings().priority().toString());
        }
        return schedules.define(scheduleName(script.name()), fields, ScheduleOrigin.SCRIPT, Set.of(ScriptCatalog.jobType(script.name())));
    }

    /**
     * Brings the stored scripts' schedules in line with those wanted, with one read of the store:
     * a schedule is written only when it is missing or differs, so a scan that finds nothing new
     * costs one query. A schedule no longer wanted is deleted: at the first pass every such
     * (its script went while the server was down), later only those of this server's last pass.
     * The store is shared: a server whose folder lacks a script (another server's folder is ahead
     * of it in a redeployment) then deletes that script's schedule once, at its start, not at
     * every scan against the server that keeps putting it back.
     *
     * @return why a schedule could not be stored (its name is another origin's), by schedule name
     */
    synchronized Map<String, String> sync(Collection<ScheduleDefinition> wanted) {
        Map<String, ScheduleDefinition> stored = new HashMap<>();
        schedules.stored().forEach(schedule -> stored.put(schedule.name(), schedule.definition()));
        Map<String, String> conflicts = new HashMap<>();
        boolean changed = false;
        for (ScheduleDefinition definition : wanted) {
            if (definition.equals(stored.get(definition.name()))) {
                continue;
            }
            try {
                changed |= put(definition);
            } catch (ScheduleConflictException e) {
                conflicts.put(definition.name(), e.getMessage());
            }
        }
        Set<String> names = wanted.stream().map(ScheduleDefinition::name).collect(Collectors.toUnmodifiableSet());
        for (Map.Entry<String, ScheduleDefinition> schedule : stored.entrySet()) {
            String name = schedule.getKey();
            if (schedule.getValue().origin() == ScheduleOrigin.SCRIPT && !names.contains(name)
                    && (lastWanted == null || lastWanted.contains(name)) && schedules.delete(name)) {
                changed = true;
                LOG.info(() -> "[schedule " + name + "] removed: its script, or the script's schedule, is gone");
            }
        }
        lastWanted = names;
        if (changed) {
            schedules.refresh();
        }
        return conflicts;
    }

    /** @return true if the store changed */
    private boolean put(ScheduleDefinition definition) {
        PutOutcome put = schedules.put(definition);
        if (put == PutOutcome.UNCHANGED) {
            return false;
        }
        LOG.info(() -> "[schedule " + definition.name() + "] " + (put == PutOutcome.CREATED ? "added" : "changed")
                + " from the script's settings.job: cron " + definition.cron());
        return true;
    }
}
