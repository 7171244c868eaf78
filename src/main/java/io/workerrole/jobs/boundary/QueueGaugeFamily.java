package io.workerrole.jobs.boundary;

import io.workerrole.jobs.entity.QueueFigures;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The autoscaling gauges of one kind of label: {@code PREFIX.queued}, {@code .delayed},
 * {@code .running} and {@code .oldest.age} (seconds), each tagged with the label's value. Per job
 * type ({@code job.type.*}, tag {@code type}, {@link TypeGauges}); per role the same four over the
 * role's types ({@code job.role.*}, tag {@code role}, in the servers capability, which knows the
 * roles). The figures are the whole job store's, the same on every server of it.
 */
public final class QueueGaugeFamily {

    private final String prefix;
    private final String tag;
    private final Metadata queued;
    private final Metadata delayed;
    private final Metadata running;
    private final Metadata oldestAge;

    /**
     * @param prefix the metrics' name before {@code .queued} and the others
     * @param tag    the label's name
     * @param of     what the label stands for, as the descriptions say it ("of the type")
     */
    public QueueGaugeFamily(String prefix, String tag, String of) {
        this.prefix = prefix;
        this.tag = tag;
        queued = Metadata.builder().withName(prefix + ".queued").withDescription("Jobs " + of + " due now and waiting to start"
                + " (QUEUED), on all servers of the job store: scale on these and the running ones").build();
        delayed = Metadata.builder().withName(prefix + ".delayed").withDescription("Jobs " + of + " not due yet: SCHEDULED for a"
                + " later time, or FAILED and waiting for their retry").build();
        running = Metadata.builder().withName(prefix + ".running").withDescription("Jobs " + of + " running, on all servers of"
                + " the job store").build();
        oldestAge = Metadata.builder().withName(prefix + ".oldest.age").withUnit(MetricUnits.SECONDS).withDescription("How long"
                + " the queued job " + of + " that has waited longest has waited to start (0 if none is queued)").build();
    }

    /**
     * @return the four metrics' names as {@code /metrics} shows them in Prometheus text: dots as
     *         underscores, and a gauge's unit after its name ({@code job_type_oldest_age_seconds})
     */
    public List<String> prometheusNames() {
        return Stream.of(queued, delayed, running, oldestAge)
                .map(m -> m.getName().replace('.', '_') + m.unit().filter(u -> !u.equals(MetricUnits.NONE)).map(u -> "_" + u).orElse(""))
                .toList();
    }

    /**
     * Registers the four gauges of one value of the label.
     *
     * @param figures the value's figures as of a moment ago, or empty while the store cannot be read (NaN)
     */
    public void register(MetricRegistry registry, String value, Supplier<Optional<QueueFigures>> figures, Clock clock) {
        Tag label = new Tag(tag, value);
        registry.gauge(queued, () -> figures.get().map(f -> (double) f.queued()).orElse(Double.NaN), label);
        registry.gauge(delayed, () -> figures.get().map(f -> (double) f.delayed()).orElse(Double.NaN), label);
        registry.gauge(running, () -> figures.get().map(f -> (double) f.running()).orElse(Double.NaN), label);
        registry.gauge(oldestAge, () -> figures.get().map(f -> f.oldestWaitSeconds(clock.instant())).orElse(Double.NaN), label);
    }
}
