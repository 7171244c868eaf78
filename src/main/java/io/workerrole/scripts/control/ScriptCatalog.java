package io.workerrole.scripts.control;

import io.workerrole.api.RoleHook;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.jobs.entity.JobTypeDefaults;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptProblem;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scripts in {@code worker.scripts.dir} as the worker runs them, brought in line with the
 * folder at each scan ({@link ScriptWatcher}; first as a start hook, so that a restarted
 * server's queued script jobs find their handler): a triggered script is the job type
 * {@code script:NAME} (and its schedule), a continuous one a background task. A folder that
 * cannot run is reported once, with the reason, in the log and in {@code /api/scripts}; the
 * others run on.
 */
@ApplicationScoped
@Priority(350)
public class ScriptCatalog implements RoleHook {

    static final String TYPE_PREFIX = "script:";
    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    @Inject
    ScriptsSettings settings;

    @Inject
    JobService jobs;

    @Inject
    ScriptRunner runner;

    @Inject
    ScriptSchedules schedules;

    @Inject
    ContinuousScripts continuous;

    private final ScriptFolders folders = new ScriptFolders(Interpreters.defaults());
    /** The scripts that run, by name. */
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    /** The folders that cannot run, by name. */
    private final Map<String, ScriptProblem> problems = new ConcurrentHashMap<>();

    /** @return the job type of a triggered script's runs */
    public static String jobType(String script) {
        return TYPE_PREFIX + script;
    }

    @Override
    public boolean onStart() {
        sync();
        return true;
    }

    /** @return the scripts that run, by name */
    public Map<String, Script> scripts() {
        return new TreeMap<>(scripts);
    }

    /** @return the folders that cannot run, by name */
    public Map<String, ScriptProblem> problems() {
        return new TreeMap<>(problems);
    }

    /** @return the script of that name, if it runs */
    public Optional<Script> script(String name) {
        return Optional.ofNullable(scripts.get(name));
    }

    /** Looks at the scripts folder and takes on what was added, changed or removed. */
    public synchronized void sync() {
        ScriptFolders.Scan scan;
        try {
            scan = folders.scan(settings.dir().toAbsolutePath());
        } catch (IOException e) {
            // Keep what runs: a folder that cannot be read for a moment is no reason to stop everything.
            LOG.log(Level.WARNING, "Cannot read the scripts folder " + settings.dir().toAbsolutePath() + "; trying again", e);
            return;
        }
        Map<String, ScriptProblem> found = new TreeMap<>();
        scan.problems().forEach(problem -> found.put(problem.name(), problem));
        Map<String, Script> triggered = new TreeMap<>();
        Map<String, Script> running = new TreeMap<>();
        Map<String, ScheduleDefinition> wantedSchedules = new TreeMap<>();
        for (Script script : scan.scripts()) {
            if (script.kind() == ScriptKind.CONTINUOUS) {
                running.put(script.name(), script);
                continue;
            }
            try {
                ScheduleDefinition schedule = schedules.define(script);
                if (schedule != null) {
                    wantedSchedules.put(script.name(), schedule);
                }
                triggered.put(script.name(), script);
            } catch (InvalidScheduleException e) {
                found.put(script.name(), scheduleProblem(script, e.getMessage()));
            }
        }
        Map<String, String> conflicts = schedules.sync(wantedSchedules.values());
        wantedSchedules.forEach((name, schedule) -> Optional.ofNullable(conflicts.get(schedule.name())).ifPresent(conflict -> {
            Script script = triggered.remove(name);
            found.put(name, scheduleProblem(script, conflict));
        }));
        takeOn(triggered, running);
        continuous.sync(running);
        report(found);
    }

    private static ScriptProblem scheduleProblem(Script script, String reason) {
        return new ScriptProblem(script.name(), script.kind(), script.folder(), "its schedule is not used: " + reason);
    }

    private void takeOn(Map<String, Script> triggered, Map<String, Script> running) {
        Set<String> gone = new HashSet<>(scripts.keySet());
        gone.removeAll(triggered.keySet());
        gone.removeAll(running.keySet());
        for (String name : gone) {
            Script old = scripts.remove(name);
            if (old.kind() == ScriptKind.TRIGGERED) {
                jobs.removeRuntimeType(jobType(name));
            }
            LOG.info(() -> "[script " + name + "] removed from the scripts folder");
        }
        for (Script script : triggered.values()) {
            Script old = scripts.put(script.name(), script);
            if (old != null && old.version().equals(script.version())) {
                continue;
            }
            if (old != null && old.kind() != ScriptKind.TRIGGERED) {
                // Moved from continuous/ to triggered/: its task is retired by the continuous scripts' pass.
                old = null;
            }
            jobs.addRuntimeType(jobType(script.name()), new ScriptJobHandler(script.name(), () -> current(script.name()), runner),
                    new JobTypeDefaults(script.settings().maxAttempts(), script.settings().priority()));
            String what = old == null ? "added" : "changed";
            LOG.info(() -> "[script " + script.name() + "] triggered, " + what + ": job type " + jobType(script.name())
                    + " runs " + String.join(" ", script.command())
                    + (script.settings().schedule() == null ? "" : ", on the schedule " + script.settings().schedule()));
        }
        for (Script script : running.values()) {
            Script old = scripts.put(script.name(), script);
            if (old != null && old.kind() == ScriptKind.TRIGGERED) {
                jobs.removeRuntimeType(jobType(script.name()));
            }
        }
    }

    private Script current(String name) {
        Script script = scripts.get(name);
        return script != null && script.kind() == ScriptKind.TRIGGERED ? script : null;
    }

    /** Logs each problem once (again when its reason changes), and the folders that were fixed. */
    private void report(Map<String, ScriptProblem> found) {
        for (ScriptProblem problem : found.values()) {
            ScriptProblem before = problems.put(problem.name(), problem);
            if (before == null || !before.reason().equals(problem.reason())) {
                LOG.severe(() -> "[script " + problem.name() + "] the folder " + problem.folder() + " cannot run: " + problem.reason());
            }
        }
        for (String name : Set.copyOf(problems.keySet())) {
            if (!found.containsKey(name)) {
                problems.remove(name);
                if (scripts.containsKey(name)) {
                    LOG.info(() -> "[script " + name + "] fixed: it runs now");
                }
            }
        }
    }
}
