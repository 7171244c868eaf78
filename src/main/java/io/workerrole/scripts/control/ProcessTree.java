package io.workerrole.scripts.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Ends a program with all it started. A program started in a session of its own (by
 * {@code setsid}) leads its process group, and a signal to the group reaches every process in
 * it — also those whose parent has exited, which {@link ProcessHandle#descendants()} no longer
 * finds. Without {@code setsid} (not Linux) the descendants still living are what is known.
 */
final class ProcessTree {

    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");
    private static final Path KILL = Path.of("/bin/kill");

    private final ProcessHandle leader;
    private final boolean ownGroup;

    /** @param ownGroup true if the leader was started in a session of its own: its pid is its group's */
    ProcessTree(ProcessHandle leader, boolean ownGroup) {
        this.leader = leader;
        this.ownGroup = ownGroup && Files.isExecutable(KILL);
    }

    /** Asks every process of the tree to end (SIGTERM). */
    void terminate() {
        if (ownGroup) {
            signalGroup("TERM");
        } else {
            everyone().forEach(ProcessHandle::destroy);
        }
    }

    /** Ends every process of the tree (SIGKILL). */
    void kill() {
        if (ownGroup) {
            signalGroup("KILL");
        } else {
            everyone().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private Stream<ProcessHandle> everyone() {
        return Stream.concat(leader.descendants().toList().stream(), Stream.of(leader));
    }

    private void signalGroup(String signal) {
        try {
            // "kill -SIGNAL -- -PGID": the leading minus names the group. It answers 1 once the group is empty.
            Process kill = new ProcessBuilder(KILL.toString(), "-" + signal, "--", "-" + leader.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not signal the process group " + leader.pid() + "; signalling the processes known", e);
            everyone().forEach(signal.equals("KILL") ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        } catch (InterruptedException e) {
            everyone().forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
