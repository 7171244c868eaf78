package io.workerrole.jobs.entity;

/** Which trigger created a job. */
public enum JobSource {
    JMS, HTTP, STORAGE, SCHEDULE,
    /** Enqueued by the application's own code, through {@link io.workerrole.api.Jobs}. */
    CODE,
    /** Started by a run of a pipeline, as one of its steps or compensations. */
    PIPELINE
}
