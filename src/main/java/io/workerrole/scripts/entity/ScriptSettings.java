package io.workerrole.scripts.entity;

import java.time.Duration;

/**
 * A script's {@code settings.job}, with the defaults filled in for what it leaves out.
 *
 * @param schedule a cron expression of 6 fields (seconds first, as in WebJobs) or 5, that starts
 *                 a triggered script; null for none
 * @param singleton {@code is_singleton}: a continuous script runs on one server at a time of
 *                  those sharing the job store; a triggered one never runs twice at once
 * @param stoppingWaitTime {@code stopping_wait_time}: how long a program asked to stop (its
 *                         shutdown file created) has before its process tree is ended; 30 s for
 *                         triggered scripts, 5 s for continuous ones unless set
 * @param inPlace {@code is_in_place}: run the program in its folder (true), or from a copy made
 *                for the run (false, the default) so that a redeployment never changes a running
 *                program
 * @param maxAttempts how many times a triggered run is attempted before its job is DEAD; null
 *                    for the worker's {@code worker.retry.maxAttempts}
 * @param timeout how long one attempt may run before it is stopped and counted failed; null for no limit
 * @param priority the jobs' priority, 0 (lowest) to 9, for runs started by the schedule or over
 *                 HTTP without one; null for the default (4)
 */
public record ScriptSettings(String schedule, boolean singleton, Duration stoppingWaitTime, boolean inPlace,
                             Integer maxAttempts, Duration timeout, Integer priority) {

    /** @return the settings of a script of this kind without a {@code settings.job} */
    public static ScriptSettings defaults(ScriptKind kind) {
        return new ScriptSettings(null, false, defaultStoppingWaitTime(kind), false, null, null, null);
    }

    /** @return the stopping wait time of a script of this kind that does not set one */
    public static Duration defaultStoppingWaitTime(ScriptKind kind) {
        return kind == ScriptKind.TRIGGERED ? Duration.ofSeconds(30) : Duration.ofSeconds(5);
    }
}
