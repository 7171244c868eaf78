package io.workerrole.schedules.boundary;

import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.schedules.control.ScheduleDefinitionStore;
import io.workerrole.schedules.control.ScheduleSpecs;
import io.workerrole.schedules.control.Scheduler;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleOrigin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The schedules capability's front door for the worker's other capabilities (scripts keep their
 * {@code settings.job} schedules through it): define a schedule by the rules every origin's
 * are checked by, store and delete it, and have this server's scheduler take the change on.
 */
@ApplicationScoped
public class ScheduleService {

    @Inject
    ScheduleDefinitionStore store;

    @Inject
    Scheduler scheduler;

    @Inject
    JobService jobs;

    @Inject
    WorkerSettings settings;

    /**
     * @param fields the definition's fields as text, named as in server.xml ({@code cron}, {@code type}, ...)
     * @param extraTypes job types that will exist when the schedule fires besides the ones that do now
     * @throws io.workerrole.schedules.entity.InvalidScheduleException naming the field that is wrong
     */
    public ScheduleDefinition define(String name, Map<String, String> fields, ScheduleOrigin origin, Set<String> extraTypes) {
        Set<String> types = new TreeSet<>(jobs.types());
        types.addAll(extraTypes);
        return new ScheduleSpecs(types, settings.maxPayloadBytes()).define(name, fields, origin);
    }

    /** @return every stored schedule, of every origin */
    public List<Schedule> stored() {
        return store.list();
    }

    /**
     * Stores a definition: creates the schedule, or changes it if its definition differs.
     *
     * @throws io.workerrole.schedules.entity.ScheduleConflictException if the name is another origin's schedule
     */
    public PutOutcome put(ScheduleDefinition definition) {
        return store.put(definition);
    }

    /** @return false if there was no such schedule */
    public boolean delete(String name) {
        return store.delete(name);
    }

    /** Has this server's scheduler arm the stored schedules as they are now, rather than at its next sync. */
    public void refresh() {
        scheduler.refresh();
    }
}
