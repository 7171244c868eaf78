package io.workerrole.scripts.boundary;

import io.workerrole.role.entity.TaskStatus;
import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.control.ScriptRunJson;
import io.workerrole.scripts.entity.ScriptProblem;
import io.workerrole.scripts.entity.ScriptRun;
import io.workerrole.scripts.entity.ScriptSettings;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.Optional;

import static io.workerrole.platform.SharedJson.JSON;

/** The scripts and their runs as {@code /api/scripts} shows them. */
final class ScriptJson {

    private ScriptJson() {
    }

    /**
     * A script that runs.
     *
     * @param task a continuous script's background task, if registered
     * @param running true while a run of it is under way on this server
     * @param lastRun its newest run on this server, if any
     */
    static JsonObject script(Script script, Optional<TaskStatus> task, boolean running, Optional<ScriptRun> lastRun) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("name", script.name())
                .add("kind", script.kind().folder())
                .add("state", task.map(status -> status.state().name()).orElse(running ? "RUNNING" : "READY"))
                .add("folder", script.folder().toString())
                .add("program", script.program().toString())
                .add("command", strings(script.command()))
                .add("settings", settings(script.settings()));
        task.ifPresent(status -> json.add("task", JSON.createObjectBuilder()
                .add("name", status.name())
                .add("state", status.state().name())
                .add("starts", status.starts())
                .add("restarts", status.restarts())
                .add("lastError", status.lastError() == null ? "" : status.lastError())));
        lastRun.ifPresent(run -> json.add("lastRun", run(run)));
        return json.build();
    }

    /** A folder that cannot run. */
    static JsonObject problem(ScriptProblem problem) {
        return JSON.createObjectBuilder()
                .add("name", problem.name())
                .add("kind", problem.kind().folder())
                .add("state", "PROBLEM")
                .add("folder", problem.folder().toString())
                .add("problem", problem.reason())
                .build();
    }

    static JsonObject settings(ScriptSettings settings) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("is_singleton", settings.singleton())
                .add("stopping_wait_time", settings.stoppingWaitTime().toSeconds())
                .add("is_in_place", settings.inPlace());
        if (settings.schedule() != null) {
            json.add("schedule", settings.schedule());
        }
        if (settings.maxAttempts() != null) {
            json.add("max_attempts", settings.maxAttempts());
        }
        if (settings.timeout() != null) {
            json.add("timeout", settings.timeout().toSeconds());
        }
        if (settings.priority() != null) {
            json.add("priority", settings.priority());
        }
        return json.build();
    }

    static JsonObject run(ScriptRun run) {
        return ScriptRunJson.object(run);
    }

    static JsonArrayBuilder strings(Iterable<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }
}
