package io.workerrole.scripts.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short, stable fingerprint of a folder's files, to tell a changed script folder from an
 * unchanged one without reading the files: the relative path, size, time of last change and
 * executable bit of every file, recursively, hashed in path order. The same files give the same
 * fingerprint on every scan and server; a file written, added, removed, renamed or made
 * executable gives another.
 * <p>
 * Symbolic links are followed, so a change to a program linked from elsewhere counts, and a link
 * that loops back into the folder is counted once as a loop rather than walked forever. A file
 * that vanishes or cannot be read during the walk is counted as such, and the walk goes on:
 * a folder being copied in at that moment gets some fingerprint, and the next scan sees the
 * finished copy as another one.
 */
final class FolderFingerprint {

    /** Hex characters kept of the SHA-256: plenty to tell versions of one folder apart. */
    static final int LENGTH = 32;

    private FolderFingerprint() {
    }

    /** @return the fingerprint of the folder's files */
    static String of(Path folder) {
        List<String> entries = new ArrayList<>();
        try {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    entries.add(relative(folder, file) + '\0' + attributes.size() + '\0'
                            + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + '\0'
                            + (attributes.isRegularFile() && Files.isExecutable(file) ? "x" : "-"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    if (e != null) {
                        entries.add(relative(folder, directory) + "/\0unreadable");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    entries.add(relative(folder, file) + '\0' + (e instanceof FileSystemLoopException ? "loop" : "unreadable"));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // The visitor goes on past every failure it is told of; anything else is a fingerprint too.
            entries.add("\0" + e);
        }
        entries.sort(null);
        MessageDigest digest = sha256();
        for (String entry : entries) {
            digest.update(entry.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, LENGTH);
    }

    private static String relative(Path folder, Path file) {
        // Joined with '/' whatever the platform, so that servers on different systems agree.
        List<String> names = new ArrayList<>();
        folder.relativize(file).forEach(name -> names.add(name.toString()));
        return String.join("/", names);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
