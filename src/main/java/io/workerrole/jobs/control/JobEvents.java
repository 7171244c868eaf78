package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.api.JobStateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Clock;

/** Fires {@link JobStateChanged} asynchronously, so observers never slow the worker down. */
@ApplicationScoped
public class JobEvents {

    @Inject
    Event<JobStateChanged> events;

    @Inject
    Clock clock;

    public void changed(String jobId, String type, JobState state, String error) {
        events.fireAsync(new JobStateChanged(jobId, type, state, clock.instant(), error));
    }
}
