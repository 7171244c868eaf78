package io.workerrole.scripts.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptRun;

import java.util.List;

/**
 * A continuous script as a supervised background task: each start runs its program until it
 * exits or the task is asked to stop (the worker stops or freezes, another server holds a
 * singleton's lease, the folder changed). A program that exits by itself has failed, as WebJobs
 * sees it, and is started again after the supervisor's backoff; one asked to stop gets its
 * shutdown file and its {@code stopping_wait_time}, then its process tree is ended.
 */
final class ContinuousScriptTask implements BackgroundTask {

    private final Script script;
    private final ScriptRunner runner;

    /** @param script the version of the script this task runs: a changed folder is another task */
    ContinuousScriptTask(Script script, ScriptRunner runner) {
        this.script = script;
        this.runner = runner;
    }

    @Override
    public void run(TaskContext context) throws Exception {
        ScriptRun run = runner.run(new ScriptRunner.RunRequest(script, List.of(), null, 0, null, context::stopRequested));
        // Stopped on request (even one since withdrawn, an unfreeze): the supervisor starts it again if it should run.
        boolean stoppedOnRequest = run.outcome() == ScriptRun.Outcome.STOPPED || run.outcome() == ScriptRun.Outcome.KILLED;
        if (!stoppedOnRequest) {
            throw new ScriptExitedException("the continuous script " + script.name() + " ended by itself (" + run.outcome()
                    + ", exit code " + run.exitCode() + ", run " + run.runId() + ")");
        }
    }

    @Override
    public boolean singleton() {
        return script.settings().singleton();
    }

    /**
     * A continuous program that ended without being asked to: restarted after the backoff. Without
     * a stack trace, which would only show this class: the message and the run's log say it all.
     */
    static final class ScriptExitedException extends Exception {
        ScriptExitedException(String message) {
            super(message, null, false, false);
        }
    }
}
