package io.workerrole.storage.control;

import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;

/**
 * The worker's storage folder ({@code worker.storage.dir}): where storage-triggered jobs and
 * the thumbnail example read and write files. Paths from job payloads are resolved inside it
 * and never outside.
 */
@ApplicationScoped
public class StorageFolder {

    private Path fixedRoot;

    @Inject
    WorkerSettings settings;

    /** For CDI. */
    protected StorageFolder() {
    }

    /** A storage folder at a fixed place, for tests and tools. */
    public StorageFolder(Path root) {
        this.fixedRoot = root;
    }

    /** @return the folder, absolute and normalized */
    public Path root() {
        Path root = fixedRoot != null ? fixedRoot : settings.storageDir();
        return root.toAbsolutePath().normalize();
    }

    /**
     * @param relative a path relative to the folder, as given in a job payload
     * @return the absolute path
     * @throws IllegalArgumentException if the path is absolute or leads outside the folder
     */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("no path given");
        }
        Path given = Path.of(relative);
        Path root = root();
        Path resolved = root.resolve(given).normalize();
        if (given.isAbsolute() || !resolved.startsWith(root)) {
            throw new IllegalArgumentException("path " + relative + " is outside the storage folder");
        }
        return resolved;
    }

    /** @return the path relative to the folder, with '/' separators, as payloads carry it */
    public String relativize(Path file) {
        return root().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
