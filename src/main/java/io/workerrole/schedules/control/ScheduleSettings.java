package io.workerrole.schedules.control;

import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** The schedule settings admins set in server.xml (see server-config/), read live. */
@ApplicationScoped
public class ScheduleSettings {

    /** The prefix of schedules declared in server.xml: {@code worker.schedule.NAME.FIELD}. */
    public static final String DECLARATION_PREFIX = "worker.schedule.";
    public static final String SYNC_INTERVAL = "worker.schedules.syncInterval";
    public static final String MISSED_GRACE = "worker.schedules.missedGrace";
    public static final String HISTORY_RETENTION = "worker.schedules.historyRetention";

    @Inject
    WorkerSettings settings;

    /**
     * @return how often a server reads server.xml's schedules and picks up schedules that other
     *         servers created, changed, paused or deleted
     */
    public Duration syncInterval() {
        return settings.readDuration(SYNC_INTERVAL, Duration.ofSeconds(5));
    }

    /**
     * @return how late a firing may be recorded before a starting server counts it as missed:
     *         another live server may be recording it just now
     */
    public Duration missedGrace() {
        return settings.readDuration(MISSED_GRACE, Duration.ofSeconds(1));
    }

    /** @return how long the history of firings is kept (each schedule's latest firing is kept always) */
    public Duration historyRetention() {
        return settings.readDuration(HISTORY_RETENTION, Duration.ofDays(7));
    }
}
