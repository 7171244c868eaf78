package io.workerrole.scripts.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Copies one of a program's output streams into its {@link OutputLog}, a line at a time, on a
 * thread of its own: a program whose output nobody reads blocks once the pipe is full.
 * Daemon threads, outside the server's pools, as they only ever wait on the pipe.
 */
final class OutputPump {

    private final Thread thread;

    private OutputPump(Thread thread) {
        this.thread = thread;
    }

    /** Starts copying the stream until its end (the program and all that inherited it have exited). */
    static OutputPump start(InputStream stream, OutputLog log, OutputLog.Channel channel, String name) {
        Thread thread = new Thread(() -> copy(stream, log, channel), name);
        thread.setDaemon(true);
        thread.start();
        return new OutputPump(thread);
    }

    private static void copy(InputStream stream, OutputLog log, OutputLog.Channel channel) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.line(channel, line);
            }
        } catch (IOException e) {
            // The stream was closed under the reader: the run is over.
        }
    }

    /** @return true if the stream was copied to its end within the wait */
    boolean awaitEnd(Duration wait) throws InterruptedException {
        thread.join(Math.max(1, wait.toMillis()));
        return !thread.isAlive();
    }
}
