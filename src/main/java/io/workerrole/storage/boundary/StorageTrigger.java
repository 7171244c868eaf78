package io.workerrole.storage.boundary;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.storage.control.FolderScan;
import io.workerrole.platform.StorageFolder;
import io.workerrole.storage.control.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The storage trigger: starts a job ({@code worker.storage.watch.jobType}, thumbnail by default)
 * for each new file in the watched folder, with the payload {"path": "incoming/NAME"}. Each job
 * carries an idempotency key made of the file's path, size and time, so a restart, or several
 * servers watching one shared folder, never start two jobs for one file. Symbolic links in the
 * folder start nothing (see {@link FolderScan}).
 */
@ApplicationScoped
@Named("storage-trigger")
public class StorageTrigger implements BackgroundTask {

    private static final Logger LOG = Logger.getLogger(StorageTrigger.class.getName());

    @Inject
    StorageFolder storage;

    @Inject
    StorageSettings settings;

    @Inject
    JobService jobs;

    @Inject
    Clock clock;

    @Override
    public void run(TaskContext context) throws Exception {
        FolderScan scan = new FolderScan();
        do {
            String type = settings.jobType();
            if (jobs.knows(type)) {
                Path folder = storage.resolve(settings.watchDir());
                for (Map.Entry<Path, FolderScan.Seen> file : scan.scan(folder, settings.pattern()).entrySet()) {
                    submit(type, file.getKey(), file.getValue());
                }
            }
        } while (!context.awaitStop(settings.interval()));
    }

    private void submit(String type, Path file, FolderScan.Seen seen) {
        String path = storage.relativize(file);
        String payload = JSON.createObjectBuilder().add("path", path).build().toString();
        String key = "storage:" + path + ":" + seen.size() + ":" + seen.modifiedMillis();
        try {
            String shortKey = key.length() > 200 ? key.substring(key.length() - 200) : key;
            var accepted = jobs.submit(JobRequest.plain(type, payload, shortKey, null), Arrival.of(JobSource.STORAGE, clock.instant()));
            LOG.info(() -> "[job " + accepted.job().id() + " " + type + "] started by new file " + path);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not start a " + type + " job for " + path, e);
        }
    }
}
