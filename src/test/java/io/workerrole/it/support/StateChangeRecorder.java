package io.workerrole.it.support;

import io.workerrole.api.JobStateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

/** Records every JobStateChanged event in the journal as "event:JOBID:STATE". */
@ApplicationScoped
public class StateChangeRecorder {

    @Inject
    Journal journal;

    void record(@ObservesAsync JobStateChanged change) {
        journal.record("event:" + change.jobId() + ":" + change.state());
    }
}
