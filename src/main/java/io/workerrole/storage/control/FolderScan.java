package io.workerrole.storage.control;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the files of a folder that are new and complete: a file counts once its size and
 * modification time stayed the same over two scans (so a file still being copied in is not
 * taken half-written), and it is reported once. Only regular files count: a symbolic link is
 * ignored, wherever it points (it could lead a job out of the storage folder), and so are
 * folders.
 */
public final class FolderScan {

    /** What a file looked like at the last scan. */
    public record Seen(long size, long modifiedMillis) {
    }

    private final Map<Path, Seen> lastScan = new HashMap<>();
    private final Map<Path, Seen> reported = new HashMap<>();

    /**
     * @param folder the folder to scan (missing: nothing new)
     * @param glob which file names count
     * @return the files that became complete since the last scan, with what they looked like
     */
    public Map<Path, Seen> scan(Path folder, String glob) throws IOException {
        Map<Path, Seen> now = new HashMap<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
                for (Path file : files) {
                    // Not following links: a symbolic link dropped into the folder is not a regular file, and starts no job.
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile() && !isDerived(file)) {
                        now.put(file, new Seen(attributes.size(), attributes.lastModifiedTime().toMillis()));
                    }
                }
            }
        }
        Map<Path, Seen> complete = new HashMap<>();
        now.forEach((file, seen) -> {
            if (seen.equals(lastScan.get(file)) && !seen.equals(reported.get(file))) {
                complete.put(file, seen);
            }
        });
        reported.putAll(complete);
        reported.keySet().retainAll(now.keySet());
        lastScan.clear();
        lastScan.putAll(now);
        return complete;
    }

    /** Thumbnails and temporary files the jobs write beside the originals are not new work. */
    static boolean isDerived(Path file) {
        String name = file.getFileName().toString();
        return name.contains(".thumb-") || name.startsWith(".");
    }
}
