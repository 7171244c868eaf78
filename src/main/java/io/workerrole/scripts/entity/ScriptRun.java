package io.workerrole.scripts.entity;

import java.time.Instant;
import java.util.List;

/**
 * One run of a script's program, as its run folder records it.
 *
 * @param runId the run's id ({@code WEBJOBS_RUN_ID}), unique among the script's runs and safe in a path
 * @param script the script's name
 * @param kind triggered or continuous
 * @param jobId the job a triggered run belongs to (each attempt is a run); null for a continuous run
 * @param server the {@code worker.serverId} of the server that ran it
 * @param arguments the arguments the program was given
 * @param startedAt when the program was started
 * @param endedAt when it ended; null while it runs
 * @param outcome how it ended, or RUNNING
 * @param exitCode the program's exit code once it has ended by itself or been ended; null while it runs
 */
public record ScriptRun(String runId, String script, ScriptKind kind, String jobId, String server, List<String> arguments,
                        Instant startedAt, Instant endedAt, Outcome outcome, Integer exitCode) {

    public ScriptRun {
        arguments = List.copyOf(arguments);
    }

    /** How a run ended. */
    public enum Outcome {
        /** The program still runs (or its server died while it ran). */
        RUNNING,
        /** It exited with code 0. */
        SUCCEEDED,
        /** It exited with another code. */
        FAILED,
        /** It was asked to stop (the worker stopped or froze, the job was cancelled) and ended within its stopping wait time. */
        STOPPED,
        /** Asked to stop, it outran its stopping wait time and its process tree was ended. */
        KILLED,
        /** It outran its settings' timeout and was stopped. */
        TIMED_OUT
    }

    /** @return this run, ended now with the given outcome and exit code */
    public ScriptRun ended(Instant at, Outcome how, Integer code) {
        return new ScriptRun(runId, script, kind, jobId, server, arguments, startedAt, at, how, code);
    }
}
