package io.workerrole.schedules.entity;

/** Who declared a schedule, which is also who may change its definition. */
public enum ScheduleOrigin {
    /** An admin, in server.xml ({@code worker.schedule.NAME.FIELD} variables). */
    SERVER_XML,
    /** A developer, with {@code @Scheduled} on a job handler. */
    CODE,
    /** Anyone with access to {@code /api/schedules}, at run time. */
    API,
    /** An admin, with the {@code schedule} of a triggered script's {@code settings.job}. */
    SCRIPT
}
