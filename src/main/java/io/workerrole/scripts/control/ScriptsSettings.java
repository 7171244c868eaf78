package io.workerrole.scripts.control;

import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of the script jobs (see server-config/server.xml), read live. */
@ApplicationScoped
public class ScriptsSettings {

    public static final String DIR = "worker.scripts.dir";
    public static final String DATA_DIR = "worker.scripts.dataDir";
    public static final String SCAN_INTERVAL = "worker.scripts.scanInterval";
    public static final String KEEP_RUNS = "worker.scripts.keepRuns";
    public static final String MAX_LOG_BYTES = "worker.scripts.maxLogBytes";

    @Inject
    WorkerSettings settings;

    /** @return the folder of {@code triggered/NAME/} and {@code continuous/NAME/}; relative to the working directory if relative */
    public Path dir() {
        return Path.of(settings.readString(DIR, "jobs"));
    }

    /** @return the folder of the runs' folders ({@code NAME/RUN_ID/output_log.txt}) */
    public Path dataDir() {
        return Path.of(settings.readString(DATA_DIR, "jobs-data"));
    }

    /** @return how often the scripts folder is looked at for scripts added, changed or removed */
    public Duration scanInterval() {
        Duration interval = settings.readDuration(SCAN_INTERVAL, Duration.ofSeconds(2));
        return interval.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : interval;
    }

    /** @return how many runs of each script keep their folder (log and record) */
    public int keepRuns() {
        return settings.readInt(KEEP_RUNS, 50, 1);
    }

    /** @return the size past which a run's output log is cut */
    public long maxLogBytes() {
        return settings.readInt(MAX_LOG_BYTES, 1_048_576, 1024);
    }
}
