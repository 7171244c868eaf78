package io.workerrole.it.scripts;

import io.workerrole.it.support.WorkerServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The Arquillian server's scripts folder (worker.scripts.dir as shipped), as an admin fills it. */
final class ScriptFolder {

    static final Path SCRIPTS = WorkerServer.serverDir().resolve("jobs");

    private ScriptFolder() {
    }

    /**
     * Puts a script's folder in place at once: written beside the scripts folder, then moved in,
     * so the worker never scans it half written.
     *
     * @param files file name, content, file name, content, ...
     */
    static Path put(String kind, String name, String... files) {
        try {
            Path staging = Files.createDirectories(SCRIPTS.resolveSibling("jobs-staging").resolve(name));
            for (int i = 0; i < files.length; i += 2) {
                Files.writeString(staging.resolve(files[i]), files[i + 1], StandardCharsets.UTF_8);
            }
            return moveIn(staging, kind, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves a prepared folder in as the script {@code kind/name}. */
    static Path moveIn(Path staging, String kind, String name) throws IOException {
        Path target = Files.createDirectories(SCRIPTS.resolve(kind)).resolve(name);
        return Files.move(staging, target);
    }

    static void remove(String kind, String name) {
        delete(SCRIPTS.resolve(kind).resolve(name));
    }

    static void removeAll() {
        delete(SCRIPTS);
        delete(SCRIPTS.resolveSibling("jobs-staging"));
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
