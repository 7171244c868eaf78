package io.workerrole.schedules.entity;

/** How a schedule's firings are spaced. */
public enum ScheduleKind {
    /** At the instants of a cron expression in a time zone. */
    CRON,
    /** Every interval, counted from an anchor instant: firings stay on their grid. */
    FIXED_RATE,
    /** The interval after the previous run ended: runs never come closer than it. */
    FIXED_DELAY,
    /** Once, at an instant. */
    ONCE
}
