package io.workerrole.jobs.control.dispatch;

import io.workerrole.jobs.entity.LogLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PendingLogLinesTest {

    private static LogLine line(int n) {
        return new LogLine(Instant.EPOCH, 1, "INFO", "line " + n);
    }

    private static List<String> messages(List<LogLine> lines) {
        return lines.stream().map(LogLine::message).toList();
    }

    @Test
    void keepsTheNewestLinesUpToItsCapacityAndDrainsThemOnce() {
        PendingLogLines pending = new PendingLogLines(3);
        IntStream.range(0, 5).forEach(i -> pending.add(line(i)));

        assertEquals(List.of("line 2", "line 3", "line 4"), messages(pending.peek()));
        assertEquals(List.of("line 2", "line 3", "line 4"), messages(pending.drain()));
        assertEquals(List.of(), pending.drain());
    }

    @Test
    void linesThatCouldNotBeWrittenGoBackInFrontOfNewerOnesWithinTheCapacity() {
        PendingLogLines pending = new PendingLogLines(3);
        pending.add(line(0));
        pending.add(line(1));
        List<LogLine> failed = pending.drain();
        pending.add(line(2));
        pending.add(line(3));

        pending.restore(failed);

        assertEquals(List.of("line 1", "line 2", "line 3"), messages(pending.drain()), "the newest three, in order");
    }

    @Test
    void aCapacityOfNoneKeepsNothing() {
        PendingLogLines pending = new PendingLogLines(0);
        pending.add(line(0));
        assertEquals(List.of(), pending.drain());
    }
}
