package io.workerrole.scripts.control;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptRun;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Runs the jobs of a triggered script ({@code script:NAME}): each attempt is one run of its
 * program, with the payload's {@code "args"} as its arguments. Exit code 0 succeeds, with the
 * run's id and exit code as the result; any other code, or outrunning the timeout, is a failed
 * attempt, retried as any job's. A job cancelled, or stopped with the worker, asks the program to
 * stop (its shutdown file) and ends its process tree after its stopping wait time.
 *
 * <p>The script is looked up at each attempt, so a changed folder applies from the next run on.
 * A singleton script's runs on this server wait for one another.
 */
final class ScriptJobHandler implements JobHandler {

    private final String name;
    private final Supplier<Script> current;
    private final ScriptRunner runner;
    private final ReentrantLock oneAtATime = new ReentrantLock(true);

    /**
     * @param current the script as the catalog has it now, or null once it is gone
     */
    ScriptJobHandler(String name, Supplier<Script> current, ScriptRunner runner) {
        this.name = name;
        this.current = current;
        this.runner = runner;
    }

    @Override
    public Object handle(JobContext job) throws Exception {
        List<String> arguments = ScriptJobArguments.of(job.payload());
        Script script = current.get();
        if (script == null) {
            throw new NonRetryableJobException("the script " + name + " is gone from the scripts folder");
        }
        boolean locked = false;
        try {
            if (script.settings().singleton()) {
                while (!(locked = oneAtATime.tryLock(ScriptRunner.LOOK.toMillis(), TimeUnit.MILLISECONDS))) {
                    if (job.cancelled()) {
                        throw new IllegalStateException("cancelled while waiting for the script's other run to end");
                    }
                }
            }
            ScriptRun run = runner.run(new ScriptRunner.RunRequest(script, arguments, job.jobId(), job.attempt(),
                    job.payload().toString(), job::cancelled));
            return outcome(run);
        } finally {
            if (locked) {
                oneAtATime.unlock();
            }
        }
    }

    private JsonObject outcome(ScriptRun run) {
        String where = " (run " + run.runId() + "; its output at /api/scripts/" + name + "/runs/" + run.runId() + "/log)";
        return switch (run.outcome()) {
            case SUCCEEDED -> JSON.createObjectBuilder().add("runId", run.runId()).add("exitCode", run.exitCode()).build();
            case FAILED -> throw new ScriptFailedException(run.exitCode() == null ? "the program could not be started" + where
                    : "the program exited with code " + run.exitCode() + where);
            case TIMED_OUT -> throw new ScriptFailedException("the program ran longer than its timeout and was stopped" + where);
            default -> throw new ScriptFailedException("the program was stopped (" + run.outcome() + ")" + where);
        };
    }

    /** A run that did not succeed: a failed attempt of its job. */
    static final class ScriptFailedException extends RuntimeException {
        ScriptFailedException(String message) {
            super(message);
        }
    }
}
