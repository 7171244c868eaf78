package io.workerrole.bench.handlers;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobSpec;
import io.workerrole.api.JobType;
import io.workerrole.api.Jobs;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process producer of the benchmark's {@code code} mode: enqueues a run's {@code echo}
 * jobs through {@link Jobs}, as the peers' harness enqueues theirs through their own APIs (4
 * producer threads, here on the server's managed executor). A burst enqueues
 * {@value #PER_CALL} jobs per {@code enqueueAll}; a paced run one job per {@code enqueue}, on time.
 * Payload: {@code {"run": "bench-…", "count": N, "producers": 4, "perSecond": 0}}. Packaged in
 * bench-producer-handlers.jar, a Liberty library of the bench server, never in the worker.
 */
@ApplicationScoped
@JobType("bench-enqueue")
public class EnqueueBurstJob implements JobHandler {

    static final int PER_CALL = 100;

    @Inject
    Jobs jobs;

    @Resource
    ManagedExecutorService executor;

    @Override
    public Object handle(JobContext job) throws Exception {
        JsonObject order = job.payload().asJsonObject();
        String run = order.getString("run");
        int count = order.getInt("count");
        int perSecond = order.getInt("perSecond", 0);
        int producers = perSecond > 0 ? 1 : order.getInt("producers", 4);
        AtomicInteger next = new AtomicInteger();
        long began = System.nanoTime();
        long gap = perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0;
        int step = perSecond > 0 ? 1 : PER_CALL;
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            running.add(executor.submit(() -> {
                for (int i = next.getAndAdd(step); i < count; i = next.getAndAdd(step)) {
                    if (gap > 0) {
                        LockSupport.parkNanos(began + i * gap - System.nanoTime());
                    }
                    List<JobSpec> batch = new ArrayList<>(step);
                    for (int n = i; n < Math.min(i + step, count); n++) {
                        batch.add(JobSpec.of("echo").payload(Json.createObjectBuilder().add("i", n).build())
                                .idempotencyKey(run + "-" + n).build());
                    }
                    jobs.enqueueAll(batch);
                }
                return null;
            }));
        }
        for (Future<?> producer : running) {
            producer.get();
        }
        return Json.createObjectBuilder().add("enqueued", count)
                .add("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).build();
    }
}
