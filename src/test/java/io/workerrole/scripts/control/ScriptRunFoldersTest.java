package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptRunFoldersTest {

    @TempDir
    Path data;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-04T10:00:00Z"));

    private ScriptRunFolders folders() {
        return new ScriptRunFolders(data, clock);
    }

    @Test
    void runIdsBeginWithTheStartTimeSoThatTheNewestRunIsListedFirst() throws IOException {
        ScriptRunFolders folders = folders();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunFolder run = folders.start("report");
            folders.writeRecord(run, record(run, ScriptRun.Outcome.RUNNING));
            ids.add(run.runId());
            clock.advance(Duration.ofMillis(5));
        }

        assertTrue(ids.stream().allMatch(ScriptRunFolders::isRunId), ids.toString());
        assertTrue(ids.get(0).startsWith("20261204100000000-"), ids.get(0));
        assertEquals(List.of(ids.get(2), ids.get(1)), folders.list("report", null, 2).stream().map(ScriptRun::runId).toList());
        assertEquals(List.of(ids.get(0)), folders.list("report", ids.get(1), 2).stream().map(ScriptRun::runId).toList(),
                "the page before a run: the older ones");
    }

    @Test
    void aFinishedRunKeepsItsRecordAndLogAndLosesWhatOnlyTheProgramNeeded() throws IOException {
        ScriptRunFolders folders = folders();
        Path script = Files.createDirectories(data.resolveSibling(data.getFileName() + "-scripts").resolve("report"));
        Path program = Files.writeString(script.resolve("run.sh"), "echo hi\n");
        Files.setPosixFilePermissions(program, java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.OWNER_WRITE));
        RunFolder run = folders.start("report");
        assertTrue(folders.runsNow("report"));
        assertFalse(folders.runsNow("other"));
        Path copy = folders.copyProgram(script, run);
        folders.writePayload(run, "{\"args\":[]}");
        Files.writeString(run.outputLog(), "[t] INF hi\n");

        assertTrue(Files.isExecutable(copy.resolve("run.sh")), "the copy keeps its permissions");
        folders.finish(run, record(run, ScriptRun.Outcome.SUCCEEDED).ended(clock.instant(), ScriptRun.Outcome.SUCCEEDED, 0));

        assertFalse(folders.runsNow("report"), "its run has finished");
        assertFalse(Files.exists(copy));
        assertFalse(Files.exists(run.payload()));
        ScriptRun read = folders.read("report", run.runId()).orElseThrow();
        assertEquals(ScriptRun.Outcome.SUCCEEDED, read.outcome());
        assertEquals(0, read.exitCode());
        assertEquals("job-1", read.jobId());
        assertEquals(List.of("a b", "c"), read.arguments());
        assertEquals(Optional.of("[t] INF hi\n"), folders.readLog("report", run.runId()));
    }

    @Test
    void pruningKeepsTheNewestRunsAndThoseUnderWay() throws IOException {
        ScriptRunFolders folders = folders();
        RunFolder underWay = folders.start("report");
        List<RunFolder> finished = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            RunFolder run = folders.start("report");
            folders.finish(run, record(run, ScriptRun.Outcome.SUCCEEDED));
            finished.add(run);
        }
        Files.writeString(underWay.dataPath().resolve("state.txt"), "the script's own data");

        folders.prune("report", 2);

        assertTrue(Files.exists(underWay.path()), "still running");
        assertTrue(Files.exists(finished.get(3).path()) && Files.exists(finished.get(2).path()));
        assertFalse(Files.exists(finished.get(1).path()) || Files.exists(finished.get(0).path()));
        assertTrue(Files.exists(underWay.dataPath().resolve("state.txt")), "WEBJOBS_DATA_PATH's other files stay");
    }

    @Test
    void namesAndRunIdsThatCouldLeaveTheFolderFindNothing() throws IOException {
        ScriptRunFolders folders = folders();
        Files.writeString(Files.createDirectories(data.resolve("report")).resolve("secret"), "x");

        assertEquals(Optional.empty(), folders.readLog("..", "20261204100000000-abcdef"));
        assertEquals(Optional.empty(), folders.readLog("report", "../report"));
        assertEquals(Optional.empty(), folders.read("report", "secret"));
        assertEquals(List.of(), folders.list("../etc", null, 10));
        assertEquals(List.of(), folders.list("never-ran", null, 10));
    }

    private static ScriptRun record(RunFolder run, ScriptRun.Outcome outcome) {
        return new ScriptRun(run.runId(), run.script(), ScriptKind.TRIGGERED, "job-1", "server-a", List.of("a b", "c"),
                Instant.parse("2026-12-04T10:00:00Z"), null, outcome, null);
    }

    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
