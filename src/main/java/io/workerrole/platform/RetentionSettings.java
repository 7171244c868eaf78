package io.workerrole.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** How long finished jobs are kept, as admins set it in server.xml (see server-config/), read live. */
@ApplicationScoped
public class RetentionSettings {

    public static final String RETENTION = "worker.jobs.retention";
    public static final String DEAD_RETENTION = "worker.jobs.deadRetention";
    public static final String INTERVAL = "worker.jobs.retentionInterval";

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
    /** The shortest interval: a zero would have the sweeper query the store without pause. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    @Inject
    WorkerSettings settings;

    /** @return how long SUCCEEDED, CANCELLED and REJECTED jobs are kept after they finished */
    public Duration retention() {
        return settings.readDuration(RETENTION, DEFAULT_RETENTION);
    }

    /** @return how long DEAD jobs are kept after they died (for admins to look at and requeue) */
    public Duration deadRetention() {
        return settings.readDuration(DEAD_RETENTION, DEFAULT_DEAD_RETENTION);
    }

    /** @return how often a server looks for finished jobs to delete (one server at a time does) */
    public Duration interval() {
        Duration interval = settings.readDuration(INTERVAL, DEFAULT_INTERVAL);
        return interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
    }
}
