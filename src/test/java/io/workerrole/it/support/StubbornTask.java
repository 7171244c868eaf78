package io.workerrole.it.support;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/** Ignores stop requests; only an interruption ends it. */
@ApplicationScoped
@Named("stubborn")
public class StubbornTask implements BackgroundTask {

    private static final Logger LOG = Logger.getLogger(StubbornTask.class.getName());

    @Override
    public void run(TaskContext context) {
        try {
            new CountDownLatch(1).await(); // works "forever"
        } catch (InterruptedException e) {
            LOG.info("stubborn task interrupted");
        }
    }
}
