package io.workerrole.jobs.entity;

/** Which trigger created a job. */
public enum JobSource {
    JMS, HTTP, STORAGE, SCHEDULE,
    /** Enqueued by the application's own code, through {@link io.workerrole.api.Jobs}. */
    CODE
}
