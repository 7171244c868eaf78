package io.workerrole.it.mistakes;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

/** A mistake: a final class as a scoped bean (its proxy would have to extend it). */
@ApplicationScoped
public final class FinalTask implements BackgroundTask {

    @Override
    public void run(TaskContext context) throws InterruptedException {
        context.awaitStop(java.time.Duration.ofDays(1));
    }
}
