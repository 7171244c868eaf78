package io.workerrole.jobs.control.dispatch;

import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.ServerTypes;
import io.workerrole.role.boundary.RoleLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The job types this server may claim now: the one place that says what a claim may take, so
 * that every reason to leave a type alone is written here and nowhere else. Today that is the
 * types this server runs ({@link ServerTypes}: its handlers, narrowed by its role's
 * {@code worker.types.include} and {@code worker.types.exclude}), less the types held
 * ({@code worker.freeze.types} and an operator's holds on the fleet, {@link RoleLifecycle#heldTypes()}),
 * less the types that are at their own concurrency limit on this server
 * ({@code worker.concurrency.TYPE}). Fleet-wide limits on a type ({@code worker.limits.TYPE.*})
 * do not subtract from this set: whether a type is at its fleet limit is known only under the lock
 * of its limit in the job store, so the claim itself applies them ({@code JobClaims}). The claim takes only the types listed, so a job of a type not listed stays QUEUED for a server
 * that lists it.
 */
@ApplicationScoped
public class ClaimableTypes {

    @Inject
    ServerTypes server;

    @Inject
    JobSettings settings;

    @Inject
    RoleLifecycle role;

    /**
     * @param running the jobs running on this server now
     * @return the types to claim now; empty when nothing may be claimed
     */
    public Set<String> now(Collection<RunningJob> running) {
        Map<String, Integer> perType = new HashMap<>();
        for (RunningJob job : running) {
            perType.merge(job.job().type(), 1, Integer::sum);
        }
        return claimable(server.types(), role.heldTypes(), perType, settings::concurrency);
    }

    /**
     * @param runs the types this server runs
     * @param held the types held, on this server or on the whole fleet
     * @param running how many jobs of each type run here now
     * @param limit each type's own concurrency limit on this server, if it has one
     * @return the types that run here, are not held and are not at their limit
     */
    static Set<String> claimable(Set<String> runs, Set<String> held, Map<String, Integer> running, Function<String, Optional<Integer>> limit) {
        Set<String> claimable = new TreeSet<>(runs);
        claimable.removeAll(held);
        running.forEach((type, count) -> {
            if (limit.apply(type).map(max -> count >= max).orElse(false)) {
                claimable.remove(type);
            }
        });
        return claimable;
    }
}
