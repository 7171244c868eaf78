package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.entity.Job;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Why a job that waits has not started, in words for whoever looks at it ({@code "waiting"} in
 * the job's view). A queued job whose type no live server runs (its servers' role is stopped, or
 * none is deployed yet) waits until one does; a queued job whose mutex key another job holds
 * waits until that job's outcome is recorded; a queued job whose type is at its fleet-wide limit
 * or its rate, as the last claim of the type on this server found it ({@link FleetLimits}), waits
 * for a slot or a start. Cheap enough for every job of a listing: it asks memory and the fleet's
 * cached types, and the store (one indexed read) only for a queued job with a mutex.
 */
@ApplicationScoped
public class WaitingReasons {

    @Inject
    TypesInFleet fleet;

    @Inject
    JobQueries queries;

    @Inject
    FleetLimits limits;

    /** @return why the job waits, if it waits for something other than a free slot */
    public Optional<String> of(Job job) {
        if (job.state() == JobState.QUEUED && !fleet.runsSomewhere(job.type())) {
            return Optional.of("no live server runs type " + job.type());
        }
        if (job.state() == JobState.QUEUED && job.mutexKey() != null) {
            Optional<String> held = queries.holderOf(job.mutexKey()).map(holder -> "mutex " + job.mutexKey() + " is held by job " + holder);
            if (held.isPresent()) {
                return held;
            }
        }
        if (job.state() == JobState.QUEUED) {
            return limits.waitingReason(job.type());
        }
        return Optional.empty();
    }
}
