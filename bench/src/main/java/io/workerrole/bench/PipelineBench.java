package io.workerrole.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Measures many pipeline runs at once, from the worker's own records read back through its API:
 * <ol>
 * <li>puts the pipeline {@code bench3}, three {@code echo} steps ({@code one}, {@code two},
 * {@code three}), through {@code PUT /api/pipelines/bench3};</li>
 * <li>starts {@code RUNS} runs of it at once from {@link #CLIENTS} client threads
 * ({@code POST /api/pipelines/bench3/runs}, each with its own payload and idempotency key);</li>
 * <li>waits until none is under way (a look-up of one run {@code RUNNING} or {@code COMPENSATING}:
 * polling must not load the database it measures), then reads them in the list
 * ({@code GET /api/pipelines/runs?pipeline=bench3}, paged with {@code next}) and each one with its
 * steps' jobs ({@code GET /api/pipelines/runs/ID}).</li>
 * </ol>
 * It reports runs per second, {@code RUNS / (last run's finishedAt - the first start request
 * sent)}; the step-to-step latency, the next step's job {@code startedAt} - the previous step's
 * job {@code finishedAt} (two per run: one to two, two to three); the run's duration,
 * {@code createdAt - finishedAt}; and the step jobs that took more than one attempt.
 * <pre>PipelineBench BASE_URL RUNS</pre>
 * Prints one line: {@code RESULT|runs|succeeded|runs/s|step p50|step p99|step max|run p50|run p99|run max|
 * retried jobs}, durations in ms. Fails when a run has not ended SUCCEEDED within {@link #TIMEOUT}.
 */
public final class PipelineBench {

    private static final String PIPELINE = "bench3";
    private static final List<String> STEPS = List.of("one", "two", "three");
    private static final int CLIENTS = 16;
    /** From the first start request, how long the runs may take to end. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> UNDER_WAY = List.of("RUNNING", "COMPENSATING");
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "COMPENSATED", "CANCELLED", "COMPENSATION_FAILED");

    private final WorkerApi api;
    private final String base;

    private PipelineBench(String base) {
        this.api = new WorkerApi(base);
        this.base = api.base();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: PipelineBench BASE_URL RUNS");
        }
        new PipelineBench(args[0]).run(Integer.parseInt(args[1]));
    }

    private static void log(String message) {
        System.out.println("[pipeline bench] " + message);
    }

    private void run(int count) throws Exception {
        for (String state : UNDER_WAY) {
            if (!isEmpty(state)) {
                throw new IllegalStateException(base + " has runs of " + PIPELINE + " " + state + " already: the bench wants a fresh server");
            }
        }
        JsonArrayBuilder steps = Json.createArrayBuilder();
        STEPS.forEach(step -> steps.add(Json.createObjectBuilder().add("type", "echo").add("name", step)));
        String definition = Json.createObjectBuilder().add("steps", steps).build().toString();
        HttpResponse<String> put = api.send(Credentials.request(URI.create(base + "/api/pipelines/" + PIPELINE))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                .PUT(HttpRequest.BodyPublishers.ofString(definition)).build());
        WorkerApi.expect(put.statusCode() == 200 ? 200 : 201, put);
        log("pipeline " + PIPELINE + (put.statusCode() == 201 ? " created" : " replaced") + ": " + definition);

        // One idempotency key per run, new for each bench: a second bench on the same server starts new runs.
        String keys = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        log(String.format(Locale.ROOT, "starting %d runs from %d clients through %s", count, CLIENTS, base));
        AtomicReference<Instant> firstSent = new AtomicReference<>();
        long starting = System.nanoTime();
        List<String> ids = parallel(IntStream.range(0, count).boxed().toList(), i -> {
            String body = Json.createObjectBuilder().add("payload", Json.createObjectBuilder().add("n", i))
                    .add("idempotencyKey", keys + i).build().toString();
            HttpRequest request = Credentials.request(URI.create(base + "/api/pipelines/" + PIPELINE + "/runs"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            firstSent.compareAndSet(null, Instant.now());
            return WorkerApi.json(WorkerApi.expect(201, api.send(request))).getString("id");
        });
        double startSeconds = (System.nanoTime() - starting) / 1e9;
        log(String.format(Locale.ROOT, "started in %.1f s (%.0f starts/s), the first request sent at %s",
                startSeconds, count / Math.max(startSeconds, 0.001), firstSent.get()));
        Set<String> distinct = new HashSet<>(ids);
        if (distinct.size() != count) {
            throw new IllegalStateException(count + " runs started but " + distinct.size() + " distinct ids answered");
        }

        Map<String, JsonObject> listed = awaitEnd(distinct, firstSent.get().plus(TIMEOUT));
        Map<String, Long> states = new TreeMap<>();
        for (String id : ids) {
            JsonObject run = listed.get(id);
            states.merge(run == null ? "not listed" : run.getString("state"), 1L, Long::sum);
        }
        long succeeded = states.getOrDefault("SUCCEEDED", 0L);
        log("the runs ended: " + states);
        if (succeeded != count) {
            listed.values().stream().filter(r -> !r.getString("state").equals("SUCCEEDED")).limit(5)
                    .forEach(r -> log("  e.g. " + r));
            throw new IllegalStateException(String.format(Locale.ROOT, "%d of %d runs did not end SUCCEEDED within %s: %s",
                    count - succeeded, count, TIMEOUT, states));
        }

        long reading = System.nanoTime();
        List<JsonObject> runs = parallel(ids, id -> get(base + "/api/pipelines/runs/" + id));
        log(String.format(Locale.ROOT, "read the %d runs with their steps' jobs in %.1f s", runs.size(), (System.nanoTime() - reading) / 1e9));
        analyse(count, succeeded, firstSent.get(), runs);
    }

    private void analyse(int count, long succeeded, Instant firstSent, List<JsonObject> runs) {
        List<Long> gaps = new ArrayList<>();
        Map<String, List<Long>> gapsByStep = new LinkedHashMap<>();
        List<Long> durations = new ArrayList<>();
        List<Long> firstStarts = new ArrayList<>();
        Instant lastFinished = firstSent;
        int jobs = 0;
        int retried = 0;
        int reattempted = 0;
        int untimed = 0;
        String slowest = null;
        long slowestGap = Long.MIN_VALUE;
        for (JsonObject run : runs) {
            Instant finished = Instant.parse(run.getString("finishedAt"));
            lastFinished = finished.isAfter(lastFinished) ? finished : lastFinished;
            durations.add(WorkerApi.millis(run.getString("createdAt"), run.getString("finishedAt")));
            Map<String, JsonObject> byName = new HashMap<>();
            run.getJsonArray("steps").forEach(s -> byName.put(s.asJsonObject().getString("name"), s.asJsonObject()));
            for (String name : STEPS) {
                JsonObject step = byName.get(name);
                if (step == null) {
                    throw new IllegalStateException("run " + run.getString("id") + " has no step " + name + ": " + run);
                }
                List<JsonObject> stepJobs = step.getJsonArray("jobs").getValuesAs(JsonObject.class);
                jobs += stepJobs.size();
                retried += (int) stepJobs.stream().filter(j -> j.getInt("attempts") > 1).count();
                reattempted += stepJobs.stream().map(j -> j.getInt("attempt")).distinct().count() > 1 ? 1 : 0;
            }
            Instant firstStart = startOf(byName.get(STEPS.get(0)));
            if (firstStart != null) {
                firstStarts.add(Duration.between(Instant.parse(run.getString("createdAt")), firstStart).toMillis());
            }
            for (int i = 1; i < STEPS.size(); i++) {
                Instant previousEnd = endOf(byName.get(STEPS.get(i - 1)));
                Instant nextStart = startOf(byName.get(STEPS.get(i)));
                if (previousEnd == null || nextStart == null) {
                    untimed++;
                    continue;
                }
                long gap = Duration.between(previousEnd, nextStart).toMillis();
                gaps.add(gap);
                gapsByStep.computeIfAbsent(STEPS.get(i - 1) + " -> " + STEPS.get(i), k -> new ArrayList<>()).add(gap);
                if (gap > slowestGap) {
                    slowestGap = gap;
                    slowest = run.getString("id") + ", " + STEPS.get(i - 1) + " -> " + STEPS.get(i);
                }
            }
        }
        if (gaps.isEmpty()) {
            throw new IllegalStateException("no step-to-step latency: no run has the times of its steps' jobs");
        }
        if (untimed > 0) {
            log("!! " + untimed + " step-to-step gaps without a finishedAt or startedAt, left out");
        }
        double seconds = Duration.between(firstSent, lastFinished).toNanos() / 1e9;
        double perSecond = count / Math.max(seconds, 0.001);
        log(String.format(Locale.ROOT, "%d runs, %d SUCCEEDED, %.1f s from the first start request to the last run's end: %.1f runs/s",
                count, succeeded, seconds, perSecond));
        gapsByStep.forEach((steps, list) -> log("step to step " + steps + " (startedAt - finishedAt): " + summary(sorted(list))));
        long[] gap = sorted(gaps);
        log("step to step, both: " + summary(gap) + "; the slowest: run " + slowest);
        long[] first = sorted(firstStarts);
        if (first.length > 0) {
            log("first step's start (its job's startedAt - the run's createdAt): " + summary(first));
        }
        long[] duration = sorted(durations);
        log("run duration (finishedAt - createdAt): " + summary(duration));
        log(String.format(Locale.ROOT, "%d step jobs, %d with attempts > 1, %d steps with more than one attempt", jobs, retried, reattempted));

        System.out.println(String.format(Locale.ROOT, "RESULT|%d|%d|%.1f|%d|%d|%d|%d|%d|%d|%d",
                count, succeeded, perSecond, Bench.percentile(gap, 50), Bench.percentile(gap, 99), gap[gap.length - 1],
                Bench.percentile(duration, 50), Bench.percentile(duration, 99), duration[duration.length - 1], retried));
    }

    /** @return when the step's first job started, or null when none has a startedAt */
    private static Instant startOf(JsonObject step) {
        return step.getJsonArray("jobs").getValuesAs(JsonObject.class).stream().filter(j -> j.containsKey("startedAt"))
                .map(j -> Instant.parse(j.getString("startedAt"))).min(Instant::compareTo).orElse(null);
    }

    /** @return when the last of the jobs of the step's last attempt (the one that succeeded) finished, or null */
    private static Instant endOf(JsonObject step) {
        List<JsonObject> jobs = step.getJsonArray("jobs").getValuesAs(JsonObject.class);
        int attempt = jobs.stream().mapToInt(j -> j.getInt("attempt")).max().orElse(0);
        List<JsonObject> last = jobs.stream().filter(j -> j.getInt("attempt") == attempt).toList();
        if (last.isEmpty() || last.stream().anyMatch(j -> !j.containsKey("finishedAt"))) {
            return null;
        }
        return last.stream().map(j -> Instant.parse(j.getString("finishedAt"))).max(Instant::compareTo).orElseThrow();
    }

    /**
     * The runs of these ids as the list shows them, once all have ended; at the deadline, as they
     * are. Until none of the pipeline's runs is under way it only looks one up per state (and
     * pages through the list every 10 s, to report).
     */
    private Map<String, JsonObject> awaitEnd(Set<String> ids, Instant deadline) throws IOException, InterruptedException {
        Instant report = Instant.now().plusSeconds(10);
        while (true) {
            boolean quiet = true;
            for (String state : UNDER_WAY) {
                quiet = quiet && isEmpty(state);
            }
            boolean late = Instant.now().isAfter(deadline);
            if (quiet || late || Instant.now().isAfter(report)) {
                Map<String, JsonObject> runs = listed(ids);
                long ended = runs.values().stream().filter(r -> FINAL.contains(r.getString("state"))).count();
                if (ended == ids.size()) {
                    return runs;
                }
                if (late) {
                    log("!! " + (ids.size() - ended) + " runs not ended " + TIMEOUT + " after the first start request");
                    return runs;
                }
                if (Instant.now().isAfter(report)) {
                    log(String.format(Locale.ROOT, "%d of %d runs ended: %s", ended, ids.size(), runs.values().stream()
                            .collect(Collectors.groupingBy(r -> r.getString("state"), TreeMap::new, Collectors.counting()))));
                    report = Instant.now().plusSeconds(10);
                }
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    /** The runs of these ids in the pipeline's list, newest first, following "next" until all are found. */
    private Map<String, JsonObject> listed(Set<String> ids) throws IOException, InterruptedException {
        Map<String, JsonObject> found = new HashMap<>();
        String next = base + "/api/pipelines/runs?pipeline=" + PIPELINE + "&limit=500";
        while (next != null && found.size() < ids.size()) {
            JsonObject page = get(next);
            for (JsonValue value : page.getJsonArray("runs")) {
                JsonObject run = value.asJsonObject();
                if (ids.contains(run.getString("id"))) {
                    found.put(run.getString("id"), run);
                }
            }
            next = page.containsKey("next") ? page.getString("next") : null;
        }
        return found;
    }

    private boolean isEmpty(String state) throws IOException, InterruptedException {
        return get(base + "/api/pipelines/runs?pipeline=" + PIPELINE + "&limit=1&state=" + state).getJsonArray("runs").isEmpty();
    }

    @FunctionalInterface
    private interface Call<T, R> {
        R on(T item) throws Exception;
    }

    /** Runs the call for each item from {@link #CLIENTS} threads; its answers in the items' order; fails on the first failure. */
    private static <T, R> List<R> parallel(Collection<T> items, Call<T, R> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<R>> calls = new ArrayList<>();
            for (T item : items) {
                calls.add(pool.submit(() -> call.on(item)));
            }
            List<R> answers = new ArrayList<>();
            for (Future<R> c : calls) {
                answers.add(c.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonObject get(String url) throws IOException, InterruptedException {
        return api.get(url);
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** min, p50, p90, p99 and max of sorted values, in ms (the percentiles {@link Bench#percentile}'s). */
    private static String summary(long[] sorted) {
        return String.format(Locale.ROOT, "min %d, p50 %d, p90 %d, p99 %d, max %d ms (%d)", sorted[0], Bench.percentile(sorted, 50),
                Bench.percentile(sorted, 90), Bench.percentile(sorted, 99), sorted[sorted.length - 1], sorted.length);
    }
}
