package io.workerrole.scripts.control;

import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.scripts.entity.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The continuous scripts as background tasks named {@code script:NAME}: one is added for each,
 * retired when its folder goes, and replaced when it changes (the old version is stopped first,
 * then the new one added: never both at once). Until the role runs, or while an old version
 * stops, the next pass tries again.
 */
@ApplicationScoped
public class ContinuousScripts {

    private static final Logger LOG = Logger.getLogger("io.workerrole.scripts");

    @Inject
    RoleLifecycle role;

    @Inject
    ScriptRunner runner;

    /** The version each script's task runs, by script name. */
    private final Map<String, String> added = new ConcurrentHashMap<>();

    /** @return the background task's name of a continuous script */
    public static String taskName(String script) {
        return ScriptCatalog.jobType(script);
    }

    /** Brings the tasks in line with the continuous scripts found, by name. */
    synchronized void sync(Map<String, Script> scripts) {
        for (Map.Entry<String, String> task : Map.copyOf(added).entrySet()) {
            Script script = scripts.get(task.getKey());
            if (script == null || !script.version().equals(task.getValue())) {
                role.retireTask(taskName(task.getKey()));
                added.remove(task.getKey());
                LOG.info(() -> "[script " + task.getKey() + "] " + (script == null ? "removed" : "changed") + ": stopping its task");
            }
        }
        for (Script script : scripts.values()) {
            if (!added.containsKey(script.name()) && role.addTask(taskName(script.name()), new ContinuousScriptTask(script, runner))) {
                added.put(script.name(), script.version());
                LOG.info(() -> "[script " + script.name() + "] continuous" + (script.settings().singleton() ? " singleton" : "")
                        + ": " + String.join(" ", script.command()));
            }
        }
    }
}
