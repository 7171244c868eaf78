package io.workerrole.jobs.entity;

/** Which trigger created a job. */
public enum JobSource {
    JMS, HTTP, STORAGE, SCHEDULE
}
