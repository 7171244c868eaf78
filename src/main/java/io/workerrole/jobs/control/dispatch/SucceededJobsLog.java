package io.workerrole.jobs.control.dispatch;

import io.workerrole.jobs.entity.Job;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Succeeded jobs in the server's log: one INFO line every {@link #PERIOD} with how many
 * succeeded, by type, and the slowest of them (by id), instead of a line per job. At thousands
 * of jobs a second a line each is a log nobody reads, and writing it through Liberty's log
 * service took an eighth of a burst's CPU in a profile. Each job's own line is still written at
 * FINE ({@code io.workerrole.jobs=fine} in Liberty's trace specification); jobs that fail, are
 * retried, die or are released keep their line each, at INFO or above.
 */
@ApplicationScoped
public class SucceededJobsLog {

    static final Duration PERIOD = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    @Resource
    ManagedScheduledExecutorService executor;

    private final Map<String, AtomicLong> byType = new ConcurrentHashMap<>();
    private final AtomicReference<Slowest> slowest = new AtomicReference<>();
    private ScheduledFuture<?> summaries;

    private record Slowest(String jobId, String type, long nanos) {
    }

    @PostConstruct
    void start() {
        summaries = executor.scheduleAtFixedRate(this::summarize, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (summaries != null) {
            summaries.cancel(false);
        }
        summarize();
    }

    /** Counts a job that succeeded; its own line goes out at FINE. */
    public void succeeded(Job job, long tookNanos) {
        LOG.fine(() -> "[job " + job.id() + " " + job.type() + "] succeeded in " + tookNanos / 1_000_000 + " ms (attempt " + job.attempts() + ")");
        byType.computeIfAbsent(job.type(), type -> new AtomicLong()).incrementAndGet();
        Slowest current = slowest.get();
        while (current == null || tookNanos > current.nanos()) {
            if (slowest.compareAndSet(current, new Slowest(job.id(), job.type(), tookNanos))) {
                break;
            }
            current = slowest.get();
        }
    }

    /** Writes the line for the jobs counted since the last one, if any. */
    void summarize() {
        Map<String, Long> counts = new TreeMap<>();
        byType.forEach((type, count) -> {
            long n = count.getAndSet(0);
            if (n > 0) {
                counts.put(type, n);
            }
        });
        Slowest slowestOfThem = slowest.getAndSet(null);
        if (counts.isEmpty()) {
            return;
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String types = counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        LOG.info(() -> total + " job(s) succeeded in the last " + PERIOD.toSeconds() + " s (" + types + ")"
                + (slowestOfThem == null ? "" : "; slowest [job " + slowestOfThem.jobId() + " " + slowestOfThem.type() + "] "
                + slowestOfThem.nanos() / 1_000_000 + " ms"));
    }
}
