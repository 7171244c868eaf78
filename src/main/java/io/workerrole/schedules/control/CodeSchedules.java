package io.workerrole.schedules.control;

import io.workerrole.api.RoleHook;
import io.workerrole.api.Scheduled;
import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleOrigin;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Stores the schedules that developers declare with {@link Scheduled} on their job handlers,
 * when the worker starts (after the handlers are known), and deletes those whose declaration is
 * gone. A declaration that is not valid is logged with the reason and does not run.
 */
@ApplicationScoped
@Priority(400)
public class CodeSchedules implements RoleHook {

    private static final Logger LOG = Logger.getLogger("io.workerrole.schedules");

    @Inject
    ScheduleStore store;

    @Inject
    HandlerRegistry handlers;

    @Inject
    JobSettings jobSettings;

    @Override
    public boolean onStart() {
        ScheduleSpecs specs = new ScheduleSpecs(handlers.types(), jobSettings.maxPayloadBytes());
        Set<String> declared = new HashSet<>();
        handlers.handlerClasses().forEach((type, handler) -> {
            for (Scheduled scheduled : handler.getAnnotationsByType(Scheduled.class)) {
                declared.add(scheduled.name());
                try {
                    ScheduleStore.Put put = store.put(specs.define(scheduled.name(), fields(type, scheduled), ScheduleOrigin.CODE));
                    if (put != ScheduleStore.Put.UNCHANGED) {
                        LOG.info(() -> "[schedule " + scheduled.name() + "] " + put.name().toLowerCase() + " from @Scheduled on " + handler.getName());
                    }
                } catch (InvalidScheduleException | ScheduleConflictException e) {
                    LOG.severe(() -> "[schedule " + scheduled.name() + "] @Scheduled on " + handler.getName() + " is not used: " + e.getMessage());
                }
            }
        });
        for (Schedule schedule : store.list()) {
            if (schedule.definition().origin() == ScheduleOrigin.CODE && !declared.contains(schedule.name()) && store.delete(schedule.name())) {
                LOG.info(() -> "[schedule " + schedule.name() + "] removed: no handler declares it any more");
            }
        }
        return true;
    }

    static Map<String, String> fields(String type, Scheduled scheduled) {
        Map<String, String> fields = new HashMap<>();
        fields.put("type", type);
        fields.put("cron", scheduled.cron());
        fields.put("zone", scheduled.zone());
        fields.put("every", scheduled.every());
        fields.put("delay", scheduled.delay());
        fields.put("at", scheduled.at());
        fields.put("after", scheduled.after());
        fields.put("payload", scheduled.payload());
        fields.put("priority", Integer.toString(scheduled.priority()));
        fields.put("singleton", Boolean.toString(scheduled.singleton()));
        fields.put("missed", scheduled.missed().name());
        return fields;
    }
}
