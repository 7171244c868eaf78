package io.workerrole.it.support;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;

/** A well-behaved task: works in small units until asked to stop. */
@ApplicationScoped
@Named("steady")
public class SteadyTask implements BackgroundTask {

    @Inject
    Journal journal;

    @Override
    public void run(TaskContext context) throws InterruptedException {
        journal.record("task:steady:start");
        while (!context.awaitStop(Duration.ofMillis(50))) {
            // one unit of work per wake-up
        }
        journal.record("task:steady:stop");
    }
}
