package io.workerrole.it.support;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Fails on its first two runs, then works until asked to stop. */
@ApplicationScoped
@Named("flaky")
public class FlakyTask implements BackgroundTask {

    static final int FAILURES = 2;

    @Inject
    Journal journal;

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public void run(TaskContext context) throws InterruptedException {
        int run = runs.incrementAndGet();
        journal.record("task:flaky:start:" + run + ":restarts=" + context.restarts());
        if (run <= FAILURES) {
            throw new IllegalStateException("flaky failure " + run);
        }
        while (!context.awaitStop(Duration.ofMillis(50))) {
            // healthy from now on
        }
    }
}
