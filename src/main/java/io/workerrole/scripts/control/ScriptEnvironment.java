package io.workerrole.scripts.control;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment a program gets, as WebJobs gives it ({@code WEBJOBS_*}), and for a triggered
 * run its job ({@code WORKER_JOB_ID}, {@code WORKER_ATTEMPT}, {@code WORKER_PAYLOAD_FILE}).
 */
final class ScriptEnvironment {

    private ScriptEnvironment() {
    }

    static Map<String, String> triggered(RunFolder run, Path programFolder, List<String> arguments, String job, int attempt) {
        Map<String, String> environment = common(run, programFolder, arguments, "triggered");
        environment.put("WORKER_JOB_ID", job);
        environment.put("WORKER_ATTEMPT", Integer.toString(attempt));
        environment.put("WORKER_PAYLOAD_FILE", run.payload().toAbsolutePath().toString());
        return environment;
    }

    static Map<String, String> continuous(RunFolder run, Path programFolder, List<String> arguments) {
        return common(run, programFolder, arguments, "continuous");
    }

    private static Map<String, String> common(RunFolder run, Path programFolder, List<String> arguments, String type) {
        Map<String, String> environment = new HashMap<>();
        environment.put("WEBJOBS_NAME", run.script());
        environment.put("WEBJOBS_TYPE", type);
        environment.put("WEBJOBS_PATH", programFolder.toAbsolutePath().toString());
        environment.put("WEBJOBS_DATA_PATH", run.dataPath().toAbsolutePath().toString());
        environment.put("WEBJOBS_RUN_ID", run.runId());
        environment.put("WEBJOBS_SHUTDOWN_FILE", run.shutdownFile().toAbsolutePath().toString());
        environment.put("WEBJOBS_COMMAND_ARGUMENTS", commandLine(arguments));
        return environment;
    }

    /** @return the arguments as one line, each with spaces or quotes in double quotes (the program gets them apart as well) */
    static String commandLine(List<String> arguments) {
        return arguments.stream()
                .map(a -> a.isEmpty() || a.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')
                        ? "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : a)
                .collect(Collectors.joining(" "));
    }
}
