package io.workerrole.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures how precisely delayed jobs ({@code runAt}) start, from the worker's own records read
 * back through its API:
 * <ol>
 * <li>submits {@code JOBS} echo jobs through {@code POST /api/jobs}, {@value #BATCH} per request
 * (a JSON array), the batches alternating between the servers given; their {@code runAt}
 * instants (millisecond precision) are spread evenly over {@code SPREAD_SECONDS}, the first
 * {@code LEAD_SECONDS} after the submission starts (1,000 over 10 s: one due every 10 ms);</li>
 * <li>waits until they have all run (until the last {@code runAt} without asking, then for the
 * echo jobs still scheduled, queued, running or failed to be none), at most
 * {@value #TIMEOUT_MINUTES} minutes after the last {@code runAt};</li>
 * <li>reads them back ({@code GET /api/jobs?type=echo}, paged, keeping the run's ids).</li>
 * </ol>
 * It reports the lateness {@code startedAt - runAt} (the {@code runAt} it sent: the status API
 * shows it only while the job is SCHEDULED), the jobs that started before their {@code runAt}
 * (early, which must be none) and those that did not end SUCCEEDED.
 * <pre>DelayedBench BASE_URL[,BASE_URL2] [JOBS=1000] [SPREAD_SECONDS=10] [LEAD_SECONDS=5]</pre>
 * Prints one line: {@code RESULT|jobs|succeeded|early|p50|p99|max}, durations in ms.
 */
public final class DelayedBench {

    /** Job messages per request. */
    private static final int BATCH = 100;
    private static final int TIMEOUT_MINUTES = 2;
    /** After the last runAt, how long the jobs may take to have run. */
    private static final Duration TIMEOUT = Duration.ofMinutes(TIMEOUT_MINUTES);

    private final List<String> bases;
    private final String base;
    private final WorkerApi api;

    private DelayedBench(List<String> bases) {
        this.bases = bases.stream().map(b -> b.endsWith("/") ? b.substring(0, b.length() - 1) : b).toList();
        this.base = this.bases.get(0);
        this.api = new WorkerApi(base);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: DelayedBench BASE_URL[,BASE_URL2] [JOBS] [SPREAD_SECONDS] [LEAD_SECONDS]");
        }
        List<String> bases = List.of(args[0].split(","));
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Duration spread = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
        Duration lead = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 5);
        new DelayedBench(bases).run(count, spread, lead);
    }

    private static void log(String message) {
        System.out.println("[delayed bench] " + message);
    }

    private void run(int count, Duration spread, Duration lead) throws Exception {
        // A key prefix of this run's own: its jobs are told apart from any other echo job by their ids.
        String run = "delayed-" + UUID.randomUUID().toString().substring(0, 8);
        Instant began = Instant.now();
        Instant first = began.plus(lead);
        List<Instant> runAt = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            runAt.add(first.plus(spread.multipliedBy(i).dividedBy(count)).truncatedTo(ChronoUnit.MILLIS));
        }
        Instant last = runAt.get(count - 1);

        log(String.format(Locale.ROOT, "run %s: submitting %d echo jobs due from %s to %s (over %s, one every %d ms), %d per request, through %s",
                run, count, runAt.get(0), last, spread, spread.dividedBy(count).toMillis(), BATCH, String.join(" and ", bases)));
        long submitting = System.nanoTime();
        Map<String, Instant> due = new LinkedHashMap<>();   // id -> the runAt sent
        Map<String, Long> submitted = new TreeMap<>();      // the states the batches answered with
        String checkId = null;
        for (int from = 0, batch = 0; from < count; from += BATCH, batch++) {
            String target = bases.get(batch % bases.size());
            int to = Math.min(from + BATCH, count);
            var body = Json.createArrayBuilder();
            for (int i = from; i < to; i++) {
                body.add(Json.createObjectBuilder().add("type", "echo").add("payload", Json.createObjectBuilder().add("i", i))
                        .add("idempotencyKey", run + "-" + i).add("runAt", runAt.get(i).toString()));
            }
            HttpResponse<String> response = WorkerApi.expect(200, api.send(Credentials.request(URI.create(target + "/api/jobs"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                    .POST(HttpRequest.BodyPublishers.ofString(body.build().toString())).build()));
            JsonArray results = WorkerApi.json(response).getJsonArray("jobs");
            if (results.size() != to - from) {
                throw new IllegalStateException(target + " answered " + results.size() + " results for " + (to - from) + " jobs: " + response.body());
            }
            for (int i = from; i < to; i++) {
                JsonObject result = results.getJsonObject(i - from);
                if (result.getInt("status") != 202) {
                    throw new IllegalStateException("job " + i + " of the batch to " + target + " answered " + result);
                }
                due.put(result.getString("id"), runAt.get(i));
                submitted.merge(result.getString("state"), 1L, Long::sum);
            }
            checkId = results.getJsonObject(results.size() - 1).getString("id");
        }
        Instant sent = Instant.now();
        log(String.format(Locale.ROOT, "submitted in %d ms, answered %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitting), submitted));
        if (due.size() != count) {
            throw new IllegalStateException(count + " jobs submitted but " + due.size() + " distinct ids answered");
        }
        if (sent.isAfter(runAt.get(0))) {
            log("!! the submission ended after the first runAt (" + runAt.get(0) + "): the earliest jobs were late before they were recorded;"
                    + " give a longer LEAD_SECONDS");
        }
        // The status API shows runAt while the job waits: the last job's must be the one sent.
        JsonObject check = api.get("/api/jobs/" + checkId);
        if (check.getString("state").equals("SCHEDULED") && !Instant.parse(check.getString("runAt")).equals(due.get(checkId))) {
            throw new IllegalStateException("job " + checkId + " was sent with runAt " + due.get(checkId) + " but shows " + check);
        }

        Map<String, JsonObject> jobs = awaitAll(due, last);
        analyse(count, due, jobs);
    }

    /**
     * Waits until the jobs have run: without asking until the last runAt (polling must not load
     * the database it measures), then until no echo job is scheduled, queued, running or failed
     * (waiting for a retry) and all of them are found; at most {@link #TIMEOUT} after the last
     * runAt, and then reads them as they are.
     */
    private Map<String, JsonObject> awaitAll(Map<String, Instant> due, Instant last) throws IOException, InterruptedException {
        WorkerApi.sleepUntil(last);
        Instant deadline = last.plus(TIMEOUT);
        Map<String, JsonObject> found = Map.of();
        while (Instant.now().isBefore(deadline)) {
            if (api.noEchoJobs("SCHEDULED") && api.noEchoJobs("QUEUED") && api.noEchoJobs("RUNNING") && api.noEchoJobs("FAILED")) {
                found = api.echoJobs(due.keySet(), DelayedBench::log);
                if (found.size() == due.size()) {
                    return found;
                }
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        log("!! the jobs had not all run " + TIMEOUT + " after the last runAt; reading them as they are");
        return api.echoJobs(due.keySet(), DelayedBench::log);
    }

    private void analyse(int count, Map<String, Instant> due, Map<String, JsonObject> jobs) throws IOException, InterruptedException {
        Map<String, Long> states = new TreeMap<>();
        Map<String, Duration> lateness = new HashMap<>();
        for (Map.Entry<String, Instant> e : due.entrySet()) {
            JsonObject job = jobs.get(e.getKey());
            states.merge(job == null ? "not found" : job.getString("state"), 1L, Long::sum);
            if (job != null && job.containsKey("startedAt")) {
                lateness.put(e.getKey(), Duration.between(e.getValue(), Instant.parse(job.getString("startedAt"))));
            }
        }
        long succeeded = states.getOrDefault("SUCCEEDED", 0L);
        log("states: " + states + (succeeded < count ? " (!! " + (count - succeeded) + " not SUCCEEDED)" : ""));

        // Early: started before its runAt, to the microsecond (the store's precision), not the millisecond.
        List<String> early = lateness.entrySet().stream().filter(e -> e.getValue().isNegative()).map(Map.Entry::getKey).sorted().toList();
        if (!early.isEmpty()) {
            log("!! " + early.size() + " jobs started before their runAt, e.g.:");
            for (String id : early.subList(0, Math.min(3, early.size()))) {
                log("  runAt " + due.get(id) + ": " + api.get("/api/jobs/" + id));
            }
        }
        long[] late = lateness.values().stream().mapToLong(Duration::toMillis).sorted().toArray();
        if (late.length == 0) {
            throw new IllegalStateException("none of the jobs started: see the server's messages.log");
        }
        log(String.format(Locale.ROOT, "lateness (startedAt - runAt) of %d started jobs: min %d, p50 %d, p90 %d, p99 %d, max %d ms",
                late.length, late[0], Bench.percentile(late, 50), Bench.percentile(late, 90), Bench.percentile(late, 99), late[late.length - 1]));
        // The latest: late in being queued (the dispatcher's poll) or in being claimed? Their history says.
        log("the latest, with their history (QUEUED at: when the dispatcher queued it):");
        lateness.entrySet().stream().sorted(Map.Entry.<String, Duration>comparingByValue(Comparator.reverseOrder())).limit(5)
                .forEach(e -> {
                    try {
                        JsonObject job = api.get("/api/jobs/" + e.getKey());
                        String history = job.getJsonArray("history").stream().map(JsonValue::asJsonObject)
                                .map(h -> h.getString("state") + " " + h.getString("at")).collect(Collectors.joining(", "));
                        log(String.format(Locale.ROOT, "  %d ms: runAt %s, startedAt %s; %s",
                                e.getValue().toMillis(), due.get(e.getKey()), job.getString("startedAt"), history));
                    } catch (IOException | InterruptedException ex) {
                        log("  " + e.getKey() + ": could not read it: " + ex);
                    }
                });

        System.out.println(String.format(Locale.ROOT, "RESULT|%d|%d|%d|%d|%d|%d",
                count, succeeded, early.size(), Bench.percentile(late, 50), Bench.percentile(late, 99), late[late.length - 1]));
    }
}
