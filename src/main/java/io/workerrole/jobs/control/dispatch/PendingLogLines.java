package io.workerrole.jobs.control.dispatch;

import io.workerrole.jobs.entity.LogLine;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The lines a running job has logged since they were last written to the job store, at most
 * the number the job keeps: when a handler logs faster than they are written, the oldest go
 * first, since only the last lines are kept anyway (every line is in the server's log too).
 * Handlers may log from several threads.
 */
final class PendingLogLines {

    private final int capacity;
    private final ArrayDeque<LogLine> lines;

    PendingLogLines(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(Math.min(capacity, 16));
    }

    synchronized void add(LogLine line) {
        if (capacity == 0) {
            return;
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** @return the pending lines, oldest first, without taking them */
    synchronized List<LogLine> peek() {
        return List.copyOf(lines);
    }

    /** @return the pending lines, oldest first; they are no longer pending */
    synchronized List<LogLine> drain() {
        List<LogLine> drained = List.copyOf(lines);
        lines.clear();
        return drained;
    }

    /** Puts lines whose write failed back in front, within the capacity, so that the next write tries them again. */
    synchronized void restore(List<LogLine> unwritten) {
        for (int i = unwritten.size() - 1; i >= 0 && lines.size() < capacity; i--) {
            lines.addFirst(unwritten.get(i));
        }
    }
}
