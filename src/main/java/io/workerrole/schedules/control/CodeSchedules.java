package io.workerrole.schedules.control;

import io.workerrole.api.RoleHook;
import io.workerrole.api.Scheduled;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleConflictException;
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
 * gone. A declaration that is not valid keeps the worker from starting, with the class, the
 * schedule and the reason in the log and at {@code /api/role}; one whose name a schedule made over
 * the API already has is logged and not used.
 */
@ApplicationScoped
@Priority(400)
public class CodeSchedules implements RoleHook {

    private static final Logger LOG = Logger.getLogger("io.workerrole.schedules");

    @Inject
    ScheduleDefinitionStore store;

    @Inject
    JobService jobs;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    RoleLifecycle role;

    @Override
    public boolean onStart() {
        // A schedule declared on a handler names its type, whether or not this server's role runs it.
        Set<String> types = new HashSet<>(jobs.types());
        types.addAll(jobs.handlerClasses().keySet());
        ScheduleSpecs specs = new ScheduleSpecs(types, workerSettings.maxPayloadBytes());
        Set<String> declared = new HashSet<>();
        boolean valid = true;
        for (Map.Entry<String, Class<?>> handler : jobs.handlerClasses().entrySet()) {
            for (Scheduled scheduled : handler.getValue().getAnnotationsByType(Scheduled.class)) {
                declared.add(scheduled.name());
                valid &= store(specs, handler.getKey(), handler.getValue(), scheduled);
            }
        }
        if (!valid) {
            return false;
        }
        for (Schedule schedule : store.list()) {
            if (schedule.definition().origin() == ScheduleOrigin.CODE && !declared.contains(schedule.name()) && store.delete(schedule.name())) {
                LOG.info(() -> "[schedule " + schedule.name() + "] removed: no handler declares it any more");
            }
        }
        return true;
    }

    /** @return false if the declaration is not valid (reported as a reason not to start) */
    private boolean store(ScheduleSpecs specs, String type, Class<?> handler, Scheduled scheduled) {
        try {
            PutOutcome put = store.put(specs.define(scheduled.name(), fields(type, scheduled), ScheduleOrigin.CODE));
            if (put != PutOutcome.UNCHANGED) {
                LOG.info(() -> "[schedule " + scheduled.name() + "] " + put.name().toLowerCase() + " from @Scheduled on " + handler.getName());
            }
            return true;
        } catch (ScheduleConflictException e) {
            // Not the code's fault alone (a schedule of that name was made over the API): it waits for an admin.
            LOG.severe(() -> "[schedule " + scheduled.name() + "] @Scheduled on " + handler.getName() + " is not used: " + e.getMessage());
            return true;
        } catch (InvalidScheduleException e) {
            role.reportStartProblem("[schedule " + scheduled.name() + "] @Scheduled(name = \"" + scheduled.name() + "\") on " + handler.getName()
                    + " is not valid: " + e.getMessage() + "; fix the annotation");
            return false;
        }
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
