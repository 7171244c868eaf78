package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.ScriptRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The runs' folders under {@code worker.scripts.dataDir}: {@code NAME/RUN_ID/} with the run's
 * record ({@code run.json}), its {@code output_log.txt} and, while it runs, its payload, its
 * shutdown file and the copy of its program. Run ids begin with their start time, so that
 * their names' order is the runs' order; {@link #prune} keeps a script's newest runs. Names
 * and run ids from a request are checked before they reach a path.
 */
public final class ScriptRunFolders {

    private static final Pattern RUN_ID = Pattern.compile("\\d{17}-[0-9a-f]{6}");
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);
    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    private final Path dataDir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** The runs under way on this server, which pruning leaves alone. */
    private final Set<Path> running = ConcurrentHashMap.newKeySet();

    public ScriptRunFolders(Path dataDir, Clock clock) {
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /** @return true if the text has the form of a run id */
    public static boolean isRunId(String text) {
        return text != null && RUN_ID.matcher(text).matches();
    }

    /** Makes the folder of a new run of the script. */
    RunFolder start(String script) throws IOException {
        Path scriptData = Files.createDirectories(scriptData(script));
        while (true) {
            String runId = STARTED.format(clock.instant()) + "-" + HexFormat.of().formatHex(randomBytes());
            Path path = scriptData.resolve(runId);
            try {
                Files.createDirectory(path);
                running.add(path);
                return new RunFolder(script, runId, path);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Two runs in the same millisecond drew the same suffix: draw again.
            }
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[3];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Copies the script's folder into the run's, with the files' permissions and times. @return the copy */
    Path copyProgram(Path scriptFolder, RunFolder run) throws IOException {
        Path copy = run.programCopy();
        Files.walkFileTree(scriptFolder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(copy.resolve(scriptFolder.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, copy.resolve(scriptFolder.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        return copy;
    }

    void writePayload(RunFolder run, String payload) throws IOException {
        Files.writeString(run.payload(), payload, StandardCharsets.UTF_8);
    }

    /** Writes the run's record whole: a reader sees the old one or the new one, never half. */
    void writeRecord(RunFolder run, ScriptRun record) throws IOException {
        Path next = run.path().resolve(RunFolder.RECORD + ".next");
        Files.writeString(next, ScriptRunJson.write(record), StandardCharsets.UTF_8);
        Files.move(next, run.record(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Records the run's end and removes what only the running program needed: its copy, payload and shutdown file. */
    void finish(RunFolder run, ScriptRun ended) throws IOException {
        try {
            writeRecord(run, ended);
            deleteTree(run.programCopy());
            Files.deleteIfExists(run.payload());
            Files.deleteIfExists(run.shutdownFile());
        } finally {
            running.remove(run.path());
        }
    }

    /** Deletes the script's oldest run folders beyond the newest {@code keep}, except runs under way. */
    void prune(String script, int keep) throws IOException {
        List<Path> runs = runFolders(script);
        for (Path old : runs.subList(Math.min(keep, runs.size()), runs.size())) {
            if (!running.contains(old)) {
                deleteTree(old);
            }
        }
    }

    /** @return true while a run of the script is under way on this server (a record left RUNNING by a dead server is not) */
    public boolean runsNow(String script) {
        return running.stream().anyMatch(run -> run.getParent().getFileName().toString().equals(script));
    }

    /**
     * @param before only runs older than this run id, or null for the newest
     * @return the script's runs on this server, newest first, at most {@code limit}
     */
    public List<ScriptRun> list(String script, String before, int limit) {
        if (!ScriptFolders.NAME.matcher(script).matches()) {
            return List.of();
        }
        List<ScriptRun> runs = new ArrayList<>();
        try {
            for (Path run : runFolders(script)) {
                if (runs.size() >= limit) {
                    break;
                }
                if (before == null || run.getFileName().toString().compareTo(before) < 0) {
                    readRecord(run).ifPresent(runs::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the runs of " + script + " cannot be read", e);
        }
        return runs;
    }

    /** @return the run, if the script has a run of that id on this server */
    public Optional<ScriptRun> read(String script, String runId) {
        return runFolder(script, runId).flatMap(ScriptRunFolders::readRecord);
    }

    /** @return the run's whole output log, if there is such a run */
    public Optional<String> readLog(String script, String runId) throws IOException {
        Optional<Path> run = runFolder(script, runId).filter(Files::isDirectory);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        Path log = run.get().resolve(RunFolder.OUTPUT_LOG);
        return Optional.of(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
    }

    private Optional<Path> runFolder(String script, String runId) {
        if (!ScriptFolders.NAME.matcher(script).matches() || !isRunId(runId)) {
            return Optional.empty();
        }
        return Optional.of(scriptData(script).resolve(runId));
    }

    private Path scriptData(String script) {
        return dataDir.resolve(script);
    }

    /** @return the script's run folders, newest first */
    private List<Path> runFolders(String script) throws IOException {
        Path scriptData = scriptData(script);
        if (!Files.isDirectory(scriptData)) {
            return List.of();
        }
        List<Path> runs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(scriptData, entry -> isRunId(entry.getFileName().toString()))) {
            entries.forEach(runs::add);
        }
        runs.sort(Comparator.comparing((Path run) -> run.getFileName().toString()).reversed());
        return runs;
    }

    private static Optional<ScriptRun> readRecord(Path run) {
        Path record = run.resolve(RunFolder.RECORD);
        if (!Files.exists(record)) {
            return Optional.empty(); // made, not yet recorded
        }
        try {
            return Optional.of(ScriptRunJson.read(Files.readString(record, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "a run's record cannot be read: " + record, e);
            return Optional.empty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
