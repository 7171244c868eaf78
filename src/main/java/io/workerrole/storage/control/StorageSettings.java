package io.workerrole.storage.control;

import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** Settings of the storage trigger (see server-config/server.xml), read live. */
@ApplicationScoped
public class StorageSettings {

    public static final String WATCH_DIR = "worker.storage.watch.dir";
    public static final String WATCH_JOB_TYPE = "worker.storage.watch.jobType";
    public static final String WATCH_PATTERN = "worker.storage.watch.pattern";
    public static final String WATCH_INTERVAL = "worker.storage.watch.interval";

    @Inject
    WorkerSettings settings;

    /** @return the watched folder, relative to the storage folder */
    public String watchDir() {
        return settings.readString(WATCH_DIR, "incoming");
    }

    /** @return the job type started for each new file; "none" turns the trigger off */
    public String jobType() {
        return settings.readString(WATCH_JOB_TYPE, "thumbnail");
    }

    /** @return which file names start a job, as a glob */
    public String pattern() {
        return settings.readString(WATCH_PATTERN, "*.{png,jpg,jpeg,gif,bmp}");
    }

    public Duration interval() {
        return settings.readDuration(WATCH_INTERVAL, Duration.ofSeconds(1));
    }
}
