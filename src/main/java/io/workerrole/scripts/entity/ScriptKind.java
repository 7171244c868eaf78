package io.workerrole.scripts.entity;

import java.util.Locale;

/**
 * How a script runs, given by the folder it sits in: {@code triggered/NAME/} or
 * {@code continuous/NAME/}, as WebJobs lays them out.
 */
public enum ScriptKind {
    /** Run on demand (HTTP, a job message, its schedule) as a job of type {@code script:NAME}; exits when done. */
    TRIGGERED,
    /** Runs all the time as a supervised background task; restarted with backoff when it exits. */
    CONTINUOUS;

    /** @return the folder of the scripts of this kind under the scripts folder: {@code triggered} or {@code continuous} */
    public String folder() {
        return name().toLowerCase(Locale.ROOT);
    }
}
