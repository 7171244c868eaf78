package io.workerrole.scripts.control;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A run's output as WebJobs keeps it: {@code output_log.txt}, a line each, {@code [time] INF}
 * for standard output, {@code ERR} for standard error, {@code SYS} for what the worker did to the
 * program; and the same lines in the server's log, standard output at INFO and standard error at
 * SEVERE, tagged {@code [script NAME run RUN_ID]}. The file stops growing at its bound, with
 * one line saying so; the server's log keeps getting every line. Both pumps write at once, so
 * each line is written whole.
 */
final class OutputLog implements Closeable {

    /** Where a line came from. */
    enum Channel { INF, ERR, SYS }

    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    private final String tag;
    private final BufferedWriter file;
    private final long maxBytes;
    private final Clock clock;
    private long written;
    private boolean cut;

    /**
     * @param tag what the server's log puts before each line, as {@code [script NAME run RUN_ID] }
     * @param maxBytes the size past which the file gets no more lines
     */
    OutputLog(Path path, String tag, long maxBytes, Clock clock) throws IOException {
        this.tag = tag;
        this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** Writes one line of the program's output, or of the worker about it. */
    synchronized void line(Channel channel, String text) {
        switch (channel) {
            case ERR -> LOG.severe(() -> tag + text);
            case INF -> LOG.info(() -> tag + text);
            case SYS -> LOG.fine(() -> tag + text);
        }
        if (cut) {
            return;
        }
        String entry = "[" + clock.instant() + "] " + channel + " " + text + "\n";
        long size = entry.getBytes(StandardCharsets.UTF_8).length;
        if (written + size > maxBytes) {
            cut = true;
            entry = "[" + clock.instant() + "] SYS the output log is cut here: it reached worker.scripts.maxLogBytes ("
                    + maxBytes + " bytes); the server's log has every line\n";
        }
        try {
            file.write(entry);
            file.flush(); // read while the program runs (the API serves it)
            written += size;
        } catch (IOException e) {
            cut = true;
            LOG.log(Level.WARNING, tag + "the output log cannot be written; the server's log keeps the output", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
