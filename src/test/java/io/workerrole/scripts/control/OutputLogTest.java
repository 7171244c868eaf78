package io.workerrole.scripts.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputLogTest {

    @TempDir
    Path run;

    @Test
    void linesAreWrittenWithTheirTimeAndChannelUntilTheBoundThenOneLineSaysTheLogIsCut() throws IOException {
        Path file = run.resolve("output_log.txt");
        try (OutputLog log = new OutputLog(file, "[script t run 1] ", 100, Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"),
                ZoneOffset.UTC))) {
            log.line(OutputLog.Channel.INF, "first");
            log.line(OutputLog.Channel.ERR, "second");
            log.line(OutputLog.Channel.INF, "x".repeat(50));
            log.line(OutputLog.Channel.INF, "after the cut");
        }

        List<String> lines = Files.readAllLines(file);
        assertEquals("[2026-12-04T10:00:00Z] INF first", lines.get(0));
        assertEquals("[2026-12-04T10:00:00Z] ERR second", lines.get(1));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).contains("SYS the output log is cut here"), lines.get(2));
    }
}
