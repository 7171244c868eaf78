package io.workerrole.scripts.control;

import io.workerrole.platform.WorkerSettings;
import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptRun;
import io.workerrole.scripts.entity.ScriptRun.Outcome;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a script's program once, for a triggered job's attempt or a continuous script's task:
 * makes the run's folder (and the program's copy, unless it runs in place), starts it with
 * WebJobs' environment, and waits until it exits, until it is to stop (it is then asked, and
 * ended after its stopping wait time) or until its timeout. The run's record stays in its
 * folder; only the newest {@code worker.scripts.keepRuns} runs of a script keep theirs.
 */
@ApplicationScoped
public class ScriptRunner {

    /** How often a waiting run looks at its stop condition and timeout. */
    static final Duration LOOK = Duration.ofMillis(100);
    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    @Inject
    ScriptsSettings settings;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    Clock clock;

    private ScriptRunFolders folders;

    @PostConstruct
    void open() {
        folders = new ScriptRunFolders(settings.dataDir(), clock);
    }

    /** @return the runs' folders, for the API */
    public ScriptRunFolders folders() {
        return folders;
    }

    /**
     * What a run is for.
     *
     * @param script the script as it was when the run began
     * @param arguments the program's arguments
     * @param job the triggered job's id, or null for a continuous run
     * @param attempt the job's attempt (1 for the first), 0 for a continuous run
     * @param payload the job's payload as JSON text (its file for the program), or null
     * @param stopWhen true once the program is to stop: the job is cancelled, the task asked to stop
     */
    public record RunRequest(Script script, List<String> arguments, String job, int attempt, String payload,
                             BooleanSupplier stopWhen) {
        public RunRequest {
            arguments = List.copyOf(arguments);
        }
    }

    /**
     * Runs the program to its end.
     *
     * @return the run's record, ended
     * @throws IOException if its folder cannot be made or the program cannot be started
     * @throws InterruptedException if the thread was interrupted: the program's tree was ended then
     */
    public ScriptRun run(RunRequest request) throws IOException, InterruptedException {
        Script script = request.script();
        RunFolder folder = folders.start(script.name());
        ScriptRun record = new ScriptRun(folder.runId(), script.name(), script.kind(), request.job(), workerSettings.serverId(),
                request.arguments(), clock.instant(), null, Outcome.RUNNING, null);
        ScriptRun ended = null;
        try {
            folders.writeRecord(folder, record);
            ScriptProcess process = start(request, folder);
            try {
                ended = await(process, record, script, request.stopWhen());
            } catch (InterruptedException e) {
                // The server is stopping and will not wait any longer: the program must not outlive the run.
                process.kill();
                ended = record.ended(clock.instant(), Outcome.KILLED, process.exitCode().orElse(-1));
                throw e;
            }
            return ended;
        } finally {
            // Not ended: the program could not be started (the output log says why).
            finish(folder, ended != null ? ended : record.ended(clock.instant(), Outcome.FAILED, null), script.name());
        }
    }

    private ScriptProcess start(RunRequest request, RunFolder folder) throws IOException {
        Script script = request.script();
        Path programFolder = script.settings().inPlace() ? script.folder() : folders.copyProgram(script.folder(), folder);
        Map<String, String> environment;
        if (script.kind() == ScriptKind.TRIGGERED) {
            folders.writePayload(folder, request.payload() == null ? "null" : request.payload());
            environment = ScriptEnvironment.triggered(folder, programFolder, request.arguments(), request.job(), request.attempt());
        } else {
            environment = ScriptEnvironment.continuous(folder, programFolder, request.arguments());
        }
        OutputLog log = new OutputLog(folder.outputLog(), "[script " + script.name() + " run " + folder.runId() + "] ",
                settings.maxLogBytes(), clock);
        return ScriptProcess.start(ProcessLaunch.forScript(script, programFolder, request.arguments(), environment,
                folder.shutdownFile()), log);
    }

    private ScriptRun await(ScriptProcess process, ScriptRun record, Script script, BooleanSupplier stopWhen)
            throws InterruptedException {
        Duration timeout = script.settings().timeout();
        Instant deadline = timeout == null ? null : record.startedAt().plus(timeout);
        while (!process.awaitExit(LOOK)) {
            if (stopWhen.getAsBoolean()) {
                ScriptProcess.Stopped how = process.stop(script.settings().stoppingWaitTime());
                return record.ended(clock.instant(), how == ScriptProcess.Stopped.BY_ITSELF ? Outcome.STOPPED : Outcome.KILLED,
                        process.exitCode().orElse(-1));
            }
            if (deadline != null && !clock.instant().isBefore(deadline)) {
                LOG.warning(() -> "[script " + script.name() + " run " + record.runId() + "] ran longer than its timeout of "
                        + timeout + ": stopping it");
                process.stop(script.settings().stoppingWaitTime());
                return record.ended(clock.instant(), Outcome.TIMED_OUT, process.exitCode().orElse(-1));
            }
        }
        int code = process.exitCode().orElse(-1);
        return record.ended(clock.instant(), code == 0 ? Outcome.SUCCEEDED : Outcome.FAILED, code);
    }

    private void finish(RunFolder folder, ScriptRun ended, String script) {
        try {
            folders.finish(folder, ended);
            folders.prune(script, settings.keepRuns());
        } catch (IOException e) {
            // The run itself is over and its outcome known; only its record may be incomplete.
            LOG.log(Level.WARNING, "[script " + script + " run " + folder.runId() + "] could not record the run's end", e);
        }
    }
}
