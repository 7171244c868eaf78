package io.workerrole.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The worker's storage folder ({@code worker.storage.dir}): where storage-triggered jobs and
 * the thumbnail example read and write files. Paths from job payloads are resolved inside it
 * and never outside: not by {@code ..}, and not through a symbolic link someone dropped in
 * (where a path leads is judged by real paths, links followed, at the time it is resolved).
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
     * @return the absolute path (normalized, its symbolic links left as they are)
     * @throws IllegalArgumentException if the path is absolute or leads outside the folder, by
     *         {@code ..} or through a symbolic link (a linked file, or a linked folder on the way)
     * @throws UncheckedIOException if the file system cannot tell where the path leads
     */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("no path given");
        }
        Path given = Path.of(relative);
        Path root = root();
        Path resolved = root.resolve(given).normalize();
        if (given.isAbsolute() || !resolved.startsWith(root)) {
            throw outside(relative);
        }
        // The folder itself may be reached through links (the admin's choice): compare where both really are.
        if (!realPath(resolved, relative).startsWith(realPath(root, relative))) {
            throw outside(relative);
        }
        return resolved;
    }

    /**
     * @return where the path really is: the real path of its nearest part that exists, links
     *         followed, with the parts that do not exist yet (they will be created there)
     */
    private static Path realPath(Path path, String relative) {
        Path existing = path;
        // NOFOLLOW_LINKS: a link to nothing exists too, and must not be taken for a file yet to be created
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("path " + relative + " may lead outside the storage folder: "
                    + "it goes through a symbolic link to nothing (" + existing.getFileName() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not tell where " + relative + " leads", e);
        }
    }

    private static IllegalArgumentException outside(String relative) {
        return new IllegalArgumentException("path " + relative + " is outside the storage folder");
    }

    /** @return the path relative to the folder, with '/' separators, as payloads carry it */
    public String relativize(Path file) {
        return root().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
