package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.api.JobStateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import java.time.Clock;

/**
 * Fires {@link JobStateChanged} asynchronously, so observers never slow the worker down, and
 * only when the application has an observer of it: an asynchronous event costs a hand-over to
 * another thread even when nobody listens, three times per job.
 */
@ApplicationScoped
public class JobEvents {

    @Inject
    Event<JobStateChanged> events;

    @Inject
    BeanManager beans;

    @Inject
    Clock clock;

    /** Whether anyone observes the event; the observers are fixed once the application is deployed. */
    private volatile Boolean observed;

    public void changed(String jobId, String type, JobState state, String error) {
        JobStateChanged event = new JobStateChanged(jobId, type, state, clock.instant(), error);
        if (observed == null) {
            observed = !beans.resolveObserverMethods(event).isEmpty();
        }
        if (observed) {
            events.fireAsync(event);
        }
    }
}
