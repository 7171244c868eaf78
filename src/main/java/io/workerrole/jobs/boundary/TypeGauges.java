package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.RecentBacklog;
import io.workerrole.jobs.entity.BacklogByType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The autoscaling signals at {@code /metrics}, per job type (docs/operations.md, Autoscaling):
 * {@code job_type_queued}, {@code job_type_delayed}, {@code job_type_running} and
 * {@code job_type_oldest_age_seconds}, tagged {@code type}, for the whole job store. An
 * autoscaler that grows the servers of a type reads them from any server.
 *
 * <p>A type gets its gauges once this server runs it or the store holds unfinished jobs of it,
 * whether or not any are queued now, so that a type without work reads 0 rather than nothing.
 * Both are bounded by the fleet's deployments, not by producers: intake stores only types that a
 * server runs. {@link #MAX_TYPES} bounds them anyway. All gauges read one {@link RecentBacklog}:
 * one query per scrape, whatever the number of types.
 */
@ApplicationScoped
public class TypeGauges {

    /** At most this many types are labelled; past it a warning says so once. */
    static final int MAX_TYPES = 500;
    static final QueueGaugeFamily FAMILY = new QueueGaugeFamily("job.type", "type", "of the type");
    private static final Logger LOG = Logger.getLogger(TypeGauges.class.getName());

    @Inject
    MetricRegistry registry;

    @Inject
    RecentBacklog recent;

    @Inject
    HandlerRegistry handlers;

    @Inject
    Clock clock;

    private final QueueGaugeLabels labels = new QueueGaugeLabels(FAMILY, MAX_TYPES, "job types", LOG);

    /**
     * @return the per-type gauges' names as {@code /metrics} shows them, for what reads them
     *         elsewhere: an autoscaler's queries (KubernetesManifestsTest holds docs/kubernetes/ to
     *         them; MetricsIT holds them to a real scrape)
     */
    public static List<String> prometheusNames() {
        return FAMILY.prometheusNames();
    }

    void register(@Observes Startup event) {
        label(handlers.types());
    }

    /** Each fresh read of the backlog: the types this server runs now (scripts come and go) and those with work in the store. */
    void typesSeen(@Observes BacklogByType backlog) {
        Set<String> types = new TreeSet<>(handlers.types());
        types.addAll(backlog.types().keySet());
        label(types);
    }

    private void label(Collection<String> types) {
        labels.label(types, registry, type -> () -> recent.read().map(backlog -> backlog.of(type)), clock);
    }
}
