package io.workerrole.scripts.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A program running for a script, with its output pumped into the run's {@link OutputLog}.
 *
 * <p>On Linux it runs in a session of its own ({@code setsid}), so that stopping it ends every
 * process it started ({@link ProcessTree}), and under a small bash watchdog that ends that
 * session when the server's JVM is gone: a server killed with {@code kill -9} leaves no program
 * running beside the one another server starts in its place (a continuous singleton's). Once the
 * program has exited, what it left running in its session is ended too.
 */
final class ScriptProcess {

    /** How a program asked to stop ended. */
    enum Stopped {
        /** It exited within its stopping wait time. */
        BY_ITSELF,
        /** It outran the wait and its process tree was ended. */
        KILLED
    }

    /**
     * Runs {@code "$@"} and waits for it, looking every second whether the server (its first
     * argument) still lives; if not, kills its own process group, the program's session. TERM
     * is passed on to the program (a trapped signal is not inherited, so the program keeps its
     * own handling). Needs bash 5.1 ({@code wait -n -p}).
     * <p>
     * Starting a background job ({@code sleep 1 &}) makes bash move the jobs that have ended into
     * its list of saved statuses, where {@code wait -n} no longer finds them ("no such job"): a
     * program that ended before its sleeper started (a quick one on a busy machine) is then never
     * seen to end by {@code wait -n}. So each round first asks whether the program still lives,
     * and takes its saved status with a plain {@code wait} when not.
     */
    static final String WATCHDOG = """
            server=$1; shift
            trap 'kill -TERM "$program" 2>/dev/null' TERM
            "$@" &
            program=$!
            while :; do
              sleep 1 & sleeper=$!
              if ! kill -0 "$program" 2>/dev/null; then kill "$sleeper" 2>/dev/null; wait "$program"; exit $?; fi
              ended=
              wait -n -p ended "$program" "$sleeper"; code=$?
              if [ "$ended" = "$program" ]; then kill "$sleeper" 2>/dev/null; exit "$code"; fi
              kill -0 "$server" 2>/dev/null || kill -KILL 0
            done
            """;
    /** How long a tree sent TERM has before it is sent KILL. */
    static final Duration TERM_GRACE = Duration.ofSeconds(2);
    private static final Duration PUMPS_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    private final Process process;
    private final ProcessTree tree;
    private final OutputLog log;
    private final Path shutdownFile;
    private final List<OutputPump> pumps;
    private boolean ended;

    private ScriptProcess(Process process, boolean ownSession, OutputLog log, Path shutdownFile) {
        this.process = process;
        this.tree = new ProcessTree(process.toHandle(), ownSession);
        this.log = log;
        this.shutdownFile = shutdownFile;
        String name = "script-output-" + process.pid();
        this.pumps = List.of(OutputPump.start(process.getInputStream(), log, OutputLog.Channel.INF, name),
                OutputPump.start(process.getErrorStream(), log, OutputLog.Channel.ERR, name + "-err"));
    }

    /**
     * Starts the program.
     *
     * @param log the run's output log, closed by this process once the program has ended
     * @throws IOException if it cannot be started (the log says why, and is closed)
     */
    static ScriptProcess start(ProcessLaunch launch, OutputLog log) throws IOException {
        return start(launch, log, Sandbox.available());
    }

    static ScriptProcess start(ProcessLaunch launch, OutputLog log, Sandbox sandbox) throws IOException {
        List<String> command = sandbox.wrap(launch.command());
        ProcessBuilder builder = new ProcessBuilder(command).directory(launch.directory().toFile());
        builder.environment().putAll(launch.environment());
        try {
            Process process = builder.start();
            process.getOutputStream().close(); // nothing to read: a program that reads its input sees its end
            log.line(OutputLog.Channel.SYS, "Started process " + process.pid() + ": " + String.join(" ", launch.command()));
            return new ScriptProcess(process, sandbox.ownSession(), log, launch.shutdownFile());
        } catch (IOException e) {
            log.line(OutputLog.Channel.SYS, "Could not start " + String.join(" ", launch.command()) + ": " + e.getMessage());
            log.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** @return the exit code once the program has exited */
    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits for the program to exit; once it has, ends what it left running and closes the log.
     *
     * @return true if it has exited
     */
    boolean awaitExit(Duration wait) throws InterruptedException {
        if (!process.waitFor(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS)) {
            return false;
        }
        end();
        return true;
    }

    /**
     * Asks the program to stop (its shutdown file), gives it the wait, then ends its tree: TERM,
     * and after {@link #TERM_GRACE} KILL.
     */
    Stopped stop(Duration wait) throws InterruptedException {
        try {
            Files.createDirectories(shutdownFile.getParent());
            Files.writeString(shutdownFile, "the worker asks the program to stop\n");
            log.line(OutputLog.Channel.SYS, "Asked to stop: the shutdown file is there; it has " + wait.toSeconds() + " s");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not create the shutdown file " + shutdownFile + "; the program will be ended", e);
        }
        if (awaitExit(wait)) {
            return Stopped.BY_ITSELF;
        }
        log.line(OutputLog.Channel.SYS, "Still running after its stopping wait time: ending its process tree");
        tree.terminate();
        if (!awaitExit(TERM_GRACE)) {
            kill();
        }
        return Stopped.KILLED;
    }

    /**
     * Ends the program's tree at once and waits for it, uninterrupted: an interrupted run must
     * still end its program. A process that does not die of KILL (stuck in the kernel) is left
     * after a few tries, with a warning.
     */
    void kill() {
        boolean interrupted = false;
        for (int attempt = 1; attempt <= 3; attempt++) {
            tree.kill();
            try {
                if (awaitExit(Duration.ofSeconds(10))) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (attempt == 3) {
                LOG.warning("process " + process.pid() + " still runs after being killed three times; it is left to the system");
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void end() throws InterruptedException {
        if (ended) {
            return;
        }
        ended = true;
        tree.kill(); // whatever it left running in its session; its pipes close with them
        for (OutputPump pump : pumps) {
            pump.awaitEnd(PUMPS_WAIT);
        }
        log.line(OutputLog.Channel.SYS, "Process " + process.pid() + " exited with code " + process.exitValue());
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not close an output log", e);
        }
    }

    /** How programs are started on this machine: in a session of their own, under the watchdog, where they can be. */
    record Sandbox(List<String> prefix, boolean ownSession) {

        private static final Path SETSID = Path.of("/usr/bin/setsid");
        private static volatile Sandbox available;

        static Sandbox available() {
            if (available == null) {
                available = probe();
            }
            return available;
        }

        List<String> wrap(List<String> command) {
            List<String> wrapped = new ArrayList<>(prefix);
            wrapped.addAll(command);
            return wrapped;
        }

        private static Sandbox probe() {
            if (!Files.isExecutable(SETSID)) {
                return new Sandbox(List.of(), false);
            }
            if (!bashHasWaitForAny()) {
                LOG.warning("bash 5.1 or later is not installed: script programs run without the watchdog that ends them "
                        + "when the server dies");
                return new Sandbox(List.of(SETSID.toString()), true);
            }
            return watching(ProcessHandle.current().pid());
        }

        /** @return programs in a session of their own under a watchdog that ends it when the process {@code server} is gone */
        static Sandbox watching(long server) {
            return new Sandbox(List.of(SETSID.toString(), "bash", "-c", WATCHDOG, "worker-watchdog", Long.toString(server)), true);
        }

        private static boolean bashHasWaitForAny() {
            try {
                Process probe = new ProcessBuilder("bash", "-c",
                        "(( BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1) ))")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
