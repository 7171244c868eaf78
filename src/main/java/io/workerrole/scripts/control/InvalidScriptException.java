package io.workerrole.scripts.control;

/**
 * A script folder that cannot run: its {@code settings.job} is not valid, or it holds no program
 * this worker can start. The message says what is wrong and how to fix it, for the admin who
 * owns the folder; a scan turns it into the folder's {@code ScriptProblem}.
 */
public class InvalidScriptException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidScriptException(String reason) {
        super(reason);
    }
}
