package io.workerrole.jobs.boundary;

import io.workerrole.jobs.entity.QueueFigures;
import org.eclipse.microprofile.metrics.MetricRegistry;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The values of a {@link QueueGaugeFamily}'s label that have their gauges on one registry: each
 * registered once, as it is first seen, and at most a bound of them, so that the label's values
 * (job types, roles) can never grow the scrape without end; past the bound a warning says so once.
 */
public final class QueueGaugeLabels {

    private final QueueGaugeFamily family;
    private final int max;
    private final String kind;
    private final Logger log;
    private final Set<String> labelled = new HashSet<>();
    private boolean warned;

    /**
     * @param max  the most values labelled
     * @param kind what the values are, for the warning ("job types", "roles")
     */
    public QueueGaugeLabels(QueueGaugeFamily family, int max, String kind, Logger log) {
        this.family = family;
        this.max = max;
        this.kind = kind;
        this.log = log;
    }

    /**
     * Registers the gauges of the values not labelled yet, in the order given, while the bound allows.
     *
     * @param figures each value's figures, as its gauges will read them
     */
    public synchronized void label(Collection<String> values, MetricRegistry registry,
                                   Function<String, Supplier<Optional<QueueFigures>>> figures, Clock clock) {
        for (String value : values) {
            if (labelled.contains(value)) {
                continue;
            }
            if (labelled.size() >= max) {
                if (!warned) {
                    warned = true;
                    log.warning("More than " + max + " " + kind + ": the gauges " + family.prometheusNames() + " leave out "
                            + value + " and any later one");
                }
                return;
            }
            family.register(registry, value, figures.apply(value), clock);
            labelled.add(value);
        }
    }
}
