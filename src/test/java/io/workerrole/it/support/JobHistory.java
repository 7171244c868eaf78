package io.workerrole.it.support;

import jakarta.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * A job's history, as {@code GET /api/jobs/{id}} shows it, read for how often the job ran and how
 * often it ended. Unlike a count of jobs per idempotency key (a UNIQUE column: one job per key
 * whatever the worker does), these counts can show a job run twice.
 */
public final class JobHistory {

    /** The states a job never leaves on its own (JobState.isFinal). */
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "DEAD", "CANCELLED", "REJECTED");
    /** The detail of a QUEUED entry written when a job is taken back from a server that died. */
    private static final String RECOVERED = "stopped answering while it ran";

    private JobHistory() {
    }

    /** @return the states of the job's history, oldest first */
    public static List<String> states(JsonObject job) {
        return entries(job).stream().map(e -> e.getString("state")).toList();
    }

    /**
     * @return how many times the job was started: each claim writes one RUNNING entry, and the
     *         handler runs only for a claim. (A job of a sequence run past a gap gets a second,
     *         explanatory RUNNING entry; the tests that count runs send no sequences.)
     */
    public static long runs(JsonObject job) {
        return states(job).stream().filter("RUNNING"::equals).count();
    }

    /** @return how many final-state entries the job's history has: one for a job that ended once */
    public static long endings(JsonObject job) {
        return states(job).stream().filter(FINAL::contains).count();
    }

    /** @return how many times the job was taken back from a server that stopped answering while it ran */
    public static long recoveries(JsonObject job) {
        return entries(job).stream()
                .filter(e -> "QUEUED".equals(e.getString("state")) && e.getString("detail", "").contains(RECOVERED))
                .count();
    }

    private static List<JsonObject> entries(JsonObject job) {
        if (!job.containsKey("history")) {
            throw new AssertionError("no history in " + job + " (the list API leaves it out; GET the job itself)");
        }
        return job.getJsonArray("history").stream().map(v -> v.asJsonObject()).toList();
    }
}
