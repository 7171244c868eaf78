package io.workerrole.it.support;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/** Always fails: the supervisor must give it up after the configured failures in a row. */
@ApplicationScoped
@Named("broken")
public class BrokenTask implements BackgroundTask {

    @Override
    public void run(TaskContext context) {
        throw new IllegalStateException("broken on purpose");
    }
}
