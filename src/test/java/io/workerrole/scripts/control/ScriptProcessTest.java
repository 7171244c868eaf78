package io.workerrole.scripts.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real programs under bash: exit codes, output, the shutdown file, process trees ended, the watchdog. */
class ScriptProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path run;

    private final List<ScriptProcess> programs = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();

    @AfterEach
    void endWhatIsLeft() {
        programs.forEach(ScriptProcess::kill);
        others.forEach(Process::destroyForcibly);
    }

    @Test
    void aProgramsExitCodeAndItsOutputLineByLineAreKept() throws Exception {
        ScriptProcess process = start("echo out one; echo err one >&2; echo out two; exit 7");

        assertTrue(process.awaitExit(WAIT));
        assertEquals(7, process.exitCode().getAsInt(), "the program's own code, through the watchdog");
        List<String> log = log();
        assertTrue(log.get(0).contains(" SYS Started process " + process.pid()), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.endsWith("] INF out one")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.endsWith("] ERR err one")), log.toString());
        assertTrue(log.indexOf(find(log, "INF out one")) < log.indexOf(find(log, "INF out two")), "in order");
        assertTrue(log.get(log.size() - 1).endsWith(" SYS Process " + process.pid() + " exited with code 7"), log.toString());
    }

    @Test
    void aProgramThatReadsItsInputSeesItsEndAtOnce() throws Exception {
        ScriptProcess process = start("cat; echo input ended");

        assertTrue(process.awaitExit(WAIT));
        assertTrue(log().stream().anyMatch(l -> l.endsWith("INF input ended")), log().toString());
    }

    @Test
    void aProgramThatWatchesItsShutdownFileStopsByItself() throws Exception {
        ScriptProcess process = start("echo up; while [ ! -f \"$SHUTDOWN\" ]; do sleep 0.05; done; echo seen; exit 0");
        await().atMost(WAIT).until(() -> log().stream().anyMatch(l -> l.endsWith("INF up")));

        assertEquals(ScriptProcess.Stopped.BY_ITSELF, process.stop(Duration.ofSeconds(10)));
        assertEquals(0, process.exitCode().getAsInt());
        assertTrue(log().stream().anyMatch(l -> l.endsWith("INF seen")));
    }

    @Test
    void aTreeThatIgnoresTermIsKilledWithItsChildrenAfterTheWait() throws Exception {
        ScriptProcess process = start("""
                trap '' TERM
                sleep 300 & echo $! > "$DIR/pids"
                bash -c 'trap "" TERM; sleep 300' & echo $! >> "$DIR/pids"
                echo $$ >> "$DIR/pids"
                while :; do sleep 0.1; done
                """);
        List<Long> pids = await().atMost(WAIT).until(() -> pids(), list -> list.size() == 3);

        assertEquals(ScriptProcess.Stopped.KILLED, process.stop(Duration.ofMillis(200)));
        await().atMost(WAIT).until(() -> pids.stream().noneMatch(ScriptProcessTest::alive));
        assertTrue(log().stream().anyMatch(l -> l.contains("SYS Still running after its stopping wait time")), log().toString());
    }

    @Test
    void whatAProgramLeavesRunningIsEndedWhenItExits() throws Exception {
        ScriptProcess process = start("(trap '' HUP; sleep 300) & echo $! > \"$DIR/pids\"; exit 0");

        assertTrue(process.awaitExit(WAIT));
        long child = Files.readAllLines(run.resolve("pids")).stream().mapToLong(Long::parseLong).findFirst().orElseThrow();
        await().atMost(WAIT).until(() -> !alive(child));
        assertEquals(0, process.exitCode().getAsInt());
    }

    @Test
    void theWatchdogEndsTheProgramsSessionWhenTheServerIsGone() throws Exception {
        Process server = track(new ProcessBuilder("sleep", "300").start());
        ScriptProcess process = start(ScriptProcess.Sandbox.watching(server.pid()),
                "sleep 300 & echo $! > \"$DIR/pids\"; echo $$ >> \"$DIR/pids\"; wait");
        List<Long> pids = await().atMost(WAIT).until(() -> pids(), list -> list.size() == 2);
        assertTrue(pids.stream().allMatch(ScriptProcessTest::alive));

        server.destroyForcibly().waitFor();
        await().atMost(WAIT).until(() -> pids.stream().noneMatch(ScriptProcessTest::alive));
        assertTrue(process.awaitExit(WAIT));
        assertEquals(137, process.exitCode().getAsInt(), "the watchdog killed its group");
    }

    /**
     * The race a busy machine runs into: the program ends before the watchdog has started its
     * first sleeper, and bash then keeps its status where {@code wait -n} does not look. The
     * watchdog is made to lose the race every time (a pause before its loop), and must still end
     * with the program's exit code, at once rather than never.
     */
    @Test
    void theWatchdogSeesAProgramThatEndedBeforeItsFirstLook() throws Exception {
        String losingWatchdog = ScriptProcess.WATCHDOG.replace("while :; do", "sleep 0.3\nwhile :; do");
        Process watchdog = track(new ProcessBuilder("bash", "-c", losingWatchdog, "worker-watchdog",
                Long.toString(ProcessHandle.current().pid()), "bash", "-c", "exit 3").start());

        assertTrue(watchdog.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the watchdog ended");
        assertEquals(3, watchdog.exitValue(), "the program's exit code");
    }

    @Test
    void aProgramThatCannotStartSaysWhyInItsLog() throws IOException {
        OutputLog log = new OutputLog(run.resolve("output_log.txt"), "[t] ", 10_000, Clock.systemUTC());
        ProcessLaunch launch = new ProcessLaunch(List.of(run.resolve("missing").toString()), run, Map.of(), run.resolve("shutdown"));

        assertThrows(IOException.class, () -> ScriptProcess.start(launch, log, new ScriptProcess.Sandbox(List.of(), false)));
        assertTrue(log().get(0).contains("SYS Could not start "), log().toString());
    }

    private ScriptProcess start(String script) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "Linux' setsid");
        return start(ScriptProcess.Sandbox.watching(ProcessHandle.current().pid()), script);
    }

    private ScriptProcess start(ScriptProcess.Sandbox sandbox, String script) throws IOException {
        OutputLog log = new OutputLog(run.resolve("output_log.txt"), "[test] ", 100_000, Clock.systemUTC());
        ProcessLaunch launch = new ProcessLaunch(List.of("bash", "-c", script), run,
                Map.of("DIR", run.toString(), "SHUTDOWN", run.resolve("shutdown").toString()), run.resolve("shutdown"));
        ScriptProcess process = ScriptProcess.start(launch, log, sandbox);
        programs.add(process);
        return process;
    }

    private Process track(Process process) {
        others.add(process);
        return process;
    }

    private List<String> log() throws IOException {
        return Files.readAllLines(run.resolve("output_log.txt"));
    }

    private List<Long> pids() throws IOException {
        Path file = run.resolve("pids");
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList() : List.of();
    }

    private static String find(List<String> log, String end) {
        return log.stream().filter(l -> l.endsWith(end)).findFirst().orElseThrow();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
