package io.workerrole.servers.boundary;

import io.workerrole.jobs.boundary.JobFigures;
import io.workerrole.jobs.boundary.QueueGaugeFamily;
import io.workerrole.jobs.boundary.QueueGaugeLabels;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.QueueFigures;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.servers.control.ServerStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The autoscaling signals per role at {@code /metrics} (docs/kubernetes.md, Per role):
 * {@code job_role_queued}, {@code job_role_delayed}, {@code job_role_running} and
 * {@code job_role_oldest_age_seconds}, tagged {@code role}: the job store's figures over the
 * types the role's servers run, added up, the oldest the older of theirs. An autoscaler that
 * grows a role's servers asks for the role by name, whatever types its servers take.
 *
 * <p>The roles and their types come from the servers' heartbeats: every server the store lists,
 * live or gone until it is pruned, so that a role whose servers all stopped or died still shows
 * the work that waits for it — exactly when an autoscaler must grow it from nothing. They are read
 * again with each fresh read of the backlog (at most every 2 s, one query whatever the number of
 * roles); while the store cannot be read, the last ones stand. A role first seen during a scrape
 * has its gauges registered as that scrape goes: the next scrape shows all four.
 */
@ApplicationScoped
public class RoleGauges {

    /** At most this many roles are labelled; past it a warning says so once. */
    static final int MAX_ROLES = 100;
    static final QueueGaugeFamily FAMILY = new QueueGaugeFamily("job.role", "role", "of the role's types");
    private static final Logger LOG = Logger.getLogger(RoleGauges.class.getName());

    @Inject
    MetricRegistry registry;

    @Inject
    JobFigures figures;

    @Inject
    ServerStore store;

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    private volatile Map<String, Set<String>> typesByRole = Map.of();
    private final QueueGaugeLabels labels = new QueueGaugeLabels(FAMILY, MAX_ROLES, "roles", LOG);

    /**
     * @return the per-role gauges' names as {@code /metrics} shows them, for what reads them
     *         elsewhere (KubernetesManifestsTest holds docs/kubernetes/ to them)
     */
    public static List<String> prometheusNames() {
        return FAMILY.prometheusNames();
    }

    /** This server's own role has its gauges from the start, before any heartbeat is read. */
    void register(@Observes Startup event) {
        label(Set.of(settings.role()));
    }

    /** With each fresh read of the backlog, the roles of the servers and their types. */
    void backlogRead(@Observes BacklogByType backlog) {
        try {
            Map<String, Set<String>> roles = Map.copyOf(store.typesByRole());
            typesByRole = roles;
            label(new TreeSet<>(roles.keySet()));
        } catch (StoreException e) {
            LOG.log(Level.FINE, "Could not read the roles' types for the metrics; the last ones read stand", e);
        }
    }

    /** @return the figures of a role's types together, as of the backlog's last read; empty while the store cannot be read */
    Optional<QueueFigures> figuresOf(String role) {
        // The backlog first: a fresh read of it reads the roles' types too (backlogRead).
        return figures.recentBacklog().map(backlog -> backlog.of(typesByRole.getOrDefault(role, Set.of())));
    }

    private void label(Collection<String> roles) {
        labels.label(roles, registry, role -> () -> figuresOf(role), clock);
    }
}
