package io.workerrole.it.support;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Cooperative but slow: when asked to stop it needs one more second to finish its unit of work. */
@ApplicationScoped
@Named("lingering")
public class LingeringTask implements BackgroundTask {

    static final Duration FINISHING_WORK = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(LingeringTask.class.getName());

    @Override
    public void run(TaskContext context) throws InterruptedException {
        while (!context.awaitStop(Duration.ofMillis(50))) {
            // working
        }
        TimeUnit.MILLISECONDS.sleep(FINISHING_WORK.toMillis()); // the last unit of work
        LOG.info("lingering task finished its last unit of work");
    }
}
