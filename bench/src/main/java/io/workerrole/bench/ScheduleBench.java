package io.workerrole.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures how precisely a worker fires many schedules at once, from the worker's own records
 * read back through its API:
 * <ol>
 * <li>creates {@code SCHEDULES} fixed-rate echo schedules ({@code every} = {@code EVERY}) through
 * {@code POST /api/schedules} of the first server, their {@code startAt} spread evenly over one
 * period (1,000 every 10 s: a firing every 10 ms, 100 per second);</li>
 * <li>lets them run: {@code WARM_UP} seconds not counted, then {@code SECONDS} measured, then a
 * few seconds more so that late firings of the measured window get recorded;</li>
 * <li>pauses them, reads every schedule's firings ({@code GET /api/schedules/NAME/firings}), deletes
 * them (which deletes their history) and reads the jobs of the measured firings
 * ({@code GET /api/jobs?type=echo}, paged), once all have finished.</li>
 * </ol>
 * Of the firings due in the measured window it reports the firing lateness {@code recordedAt -
 * scheduledFor} of RAN firings, the job start lateness {@code startedAt - scheduledFor}, the
 * outcomes other than RAN, the grid instants with no firing (missing) or with more than one RAN
 * firing (duplicate), and how the RAN firings split between servers.
 * <pre>ScheduleBench BASE_URL[,BASE_URL2...] SINGLETON SCHEDULES SECONDS [WARM_UP=10] [EVERY=PT10S]</pre>
 * Prints one line: {@code RESULT|singleton|schedules|firings|p50|p99|max|job p50|job p99|job max|
 * other outcomes|missing|duplicates|split}, durations in ms.
 */
public final class ScheduleBench {

    private static final int CLIENTS = 4;
    /** After the window, how long firings due in it may still take to be recorded. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration JOBS_TIMEOUT = Duration.ofMinutes(5);

    private final List<String> bases;
    private final String base;
    private final WorkerApi api;

    private ScheduleBench(List<String> bases) {
        this.bases = bases.stream().map(b -> b.endsWith("/") ? b.substring(0, b.length() - 1) : b).toList();
        this.base = this.bases.get(0);
        this.api = new WorkerApi(base);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: ScheduleBench BASE_URL[,BASE_URL2] SINGLETON SCHEDULES SECONDS [WARM_UP] [EVERY]");
        }
        List<String> bases = List.of(args[0].split(","));
        boolean singleton = Boolean.parseBoolean(args[1]);
        int count = Integer.parseInt(args[2]);
        Duration seconds = Duration.ofSeconds(Long.parseLong(args[3]));
        Duration warmUp = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 10);
        Duration every = Duration.parse(args.length > 5 ? args[5] : "PT10S");
        new ScheduleBench(bases).run(singleton, count, seconds, warmUp, every);
    }

    private static void log(String message) {
        System.out.println("[schedule bench] " + message);
    }

    private void run(boolean singleton, int count, Duration measured, Duration warmUp, Duration every) throws Exception {
        int existing = get(base + "/api/schedules").getJsonArray("schedules").size();
        if (existing > 0) {
            throw new IllegalStateException(base + " has " + existing + " schedules already: the bench wants a fresh server");
        }
        // Start instants spread evenly over one period, on a whole second: schedule i is due at origin + i * step (+ k * every).
        Instant origin = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Duration step = every.dividedBy(count);
        List<String> names = new ArrayList<>();
        Map<String, Instant> startAt = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = String.format(Locale.ROOT, "b-%04d", i);
            names.add(name);
            startAt.put(name, origin.plus(step.multipliedBy(i)));
        }

        log(String.format(Locale.ROOT, "creating %d schedules (every %s, singleton=%s, one due every %d ms) through %s",
                count, every, singleton, step.toMillis(), base));
        long creating = System.nanoTime();
        parallel(names, name -> {
            String body = Json.createObjectBuilder()
                    .add("name", name).add("every", every.toString()).add("startAt", startAt.get(name).toString())
                    .add("type", "echo").add("payload", Json.createObjectBuilder().add("schedule", name))
                    .add("singleton", singleton).build().toString();
            WorkerApi.expect(201, api.send(Credentials.request(URI.create(base + "/api/schedules"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build()));
        });
        Instant created = Instant.now();
        log(String.format(Locale.ROOT, "created in %.1f s", (System.nanoTime() - creating) / 1e9));
        for (String other : bases.subList(1, bases.size())) {
            int seen = get(other + "/api/schedules").getJsonArray("schedules").size();
            log(other + " sees " + seen + " schedules");
        }

        Instant from = created.plus(warmUp);
        Instant until = from.plus(measured);
        log("warm-up until " + from + ", measuring until " + until);
        WorkerApi.sleepUntil(until.plus(SETTLE));

        log("pausing the schedules");
        long pausing = System.nanoTime();
        parallel(names, name -> WorkerApi.expect(200, api.send(Credentials.request(URI.create(base + "/api/schedules/" + name + "/pause"))
                .timeout(Duration.ofMinutes(1)).POST(HttpRequest.BodyPublishers.noBody()).build())));
        log(String.format(Locale.ROOT, "paused in %.1f s", (System.nanoTime() - pausing) / 1e9));

        Map<String, List<JsonObject>> history = new java.util.concurrent.ConcurrentHashMap<>();
        parallel(names, name -> history.put(name, firings(name)));
        int read = history.values().stream().mapToInt(List::size).sum();
        log("read " + read + " firings in all");

        // Deleting a schedule deletes its history too: only now.
        long deleting = System.nanoTime();
        parallel(names, name -> WorkerApi.expect(204, api.send(Credentials.request(URI.create(base + "/api/schedules/" + name))
                .timeout(Duration.ofMinutes(1)).DELETE().build())));
        log(String.format(Locale.ROOT, "deleted in %.1f s", (System.nanoTime() - deleting) / 1e9));

        analyse(singleton, count, names, startAt, every, from, until, history);
    }

    private void analyse(boolean singleton, int count, List<String> names, Map<String, Instant> startAt, Duration every,
                         Instant from, Instant until, Map<String, List<JsonObject>> history) throws Exception {
        // The grid instants due in the window [from, until), and the firings recorded for them
        Map<String, List<JsonObject>> byInstant = new HashMap<>();
        int expected = 0;
        int covered = 0;
        int offGrid = 0;
        for (String name : names) {
            Instant start = startAt.get(name);
            Set<String> grid = new HashSet<>();
            long k = Math.max(0, ceilDiv(Duration.between(start, from).toNanos(), every.toNanos()));
            for (Instant t = start.plus(every.multipliedBy(k)); t.isBefore(until); t = t.plus(every)) {
                if (!t.isBefore(from)) {
                    grid.add(t.toString());
                    expected++;
                }
            }
            for (JsonObject firing : history.get(name)) {
                Instant due = Instant.parse(firing.getString("scheduledFor"));
                if (due.isBefore(from) || !due.isBefore(until)) {
                    continue;
                }
                if (!grid.contains(due.toString())) {
                    offGrid++;
                } else if (!byInstant.containsKey(name + "@" + due)) {
                    covered++;
                }
                byInstant.computeIfAbsent(name + "@" + due, key -> new ArrayList<>()).add(firing);
            }
        }
        List<JsonObject> ran = new ArrayList<>();
        Map<String, Long> others = new TreeMap<>();
        Map<String, Long> servers = new TreeMap<>();
        int duplicates = 0;
        for (List<JsonObject> firings : byInstant.values()) {
            int ranHere = 0;
            for (JsonObject firing : firings) {
                if (firing.getString("outcome").equals("RAN")) {
                    ran.add(firing);
                    ranHere++;
                    servers.merge(firing.getString("server"), 1L, Long::sum);
                } else {
                    others.merge(firing.getString("outcome"), 1L, Long::sum);
                }
            }
            if (ranHere > 1) {
                duplicates++;
            }
        }
        int missing = expected - covered;
        long[] lateness = ran.stream().mapToLong(f -> WorkerApi.millis(f.getString("scheduledFor"), f.getString("recordedAt"))).sorted().toArray();
        log(String.format(Locale.ROOT, "window %s .. %s: %d instants due, %d with a firing, %d RAN, other outcomes %s, "
                        + "%d missing, %d with more than one RAN, %d off the grid",
                from, until, expected, byInstant.size(), ran.size(), others, missing, duplicates, offGrid));
        if (lateness.length == 0) {
            throw new IllegalStateException("no RAN firing in the measured window: see the server's messages.log");
        }
        log(String.format(Locale.ROOT, "firing lateness (recordedAt - scheduledFor): min %d, p50 %d, p90 %d, p99 %d, max %d ms",
                lateness[0], Bench.percentile(lateness, 50), Bench.percentile(lateness, 90), Bench.percentile(lateness, 99), lateness[lateness.length - 1]));
        // The latest firings: one stall (a pause of the server, the database or the machine) or spread out?
        long overSecond = ran.stream().filter(f -> WorkerApi.millis(f.getString("scheduledFor"), f.getString("recordedAt")) > 1000).count();
        if (lateness[lateness.length - 1] > 1000) {
            log("!! " + overSecond + " firings recorded more than 1 s late; the latest:");
            ran.stream().sorted(java.util.Comparator.comparingLong((JsonObject f) -> WorkerApi.millis(f.getString("scheduledFor"), f.getString("recordedAt"))).reversed())
                    .limit(5).forEach(f -> log("  " + f));
            ran.stream().filter(f -> WorkerApi.millis(f.getString("scheduledFor"), f.getString("recordedAt")) > 1000)
                    .map(f -> Instant.parse(f.getString("scheduledFor"))).min(Instant::compareTo)
                    .ifPresent(first -> log("  the first of them was due at " + first));
        }
        others.forEach((outcome, n) -> byInstant.values().stream().flatMap(List::stream)
                .filter(f -> f.getString("outcome").equals(outcome)).limit(3)
                .forEach(f -> log("  e.g. " + f)));

        Map<String, JsonObject> jobs = jobsOf(ran.stream().map(f -> f.getString("jobId")).collect(Collectors.toSet()));
        List<Long> starts = new ArrayList<>();
        Map<String, Long> states = new TreeMap<>();
        int enqueuedOff = 0;
        List<String> early = new ArrayList<>();
        for (JsonObject firing : ran) {
            JsonObject job = jobs.get(firing.getString("jobId"));
            if (job == null) {
                states.merge("not found", 1L, Long::sum);
                continue;
            }
            states.merge(job.getString("state"), 1L, Long::sum);
            if (!Instant.parse(job.getString("enqueuedAt")).equals(Instant.parse(firing.getString("scheduledFor")))) {
                enqueuedOff++;
            }
            if (job.containsKey("startedAt")) {
                long late = WorkerApi.millis(firing.getString("scheduledFor"), job.getString("startedAt"));
                starts.add(late);
                if (late < 0) {
                    early.add(String.format(Locale.ROOT, "job %s: scheduledFor %s, firing recordedAt %s, job createdAt %s, startedAt %s",
                            job.getString("id"), firing.getString("scheduledFor"), firing.getString("recordedAt"),
                            job.getString("createdAt"), job.getString("startedAt")));
                }
            }
        }
        if (!early.isEmpty()) {
            log("!! " + early.size() + " jobs have a startedAt before their firing was due, e.g.:");
            early.stream().limit(3).forEach(e -> log("  " + e));
        }
        long[] start = starts.stream().mapToLong(Long::longValue).sorted().toArray();
        log("jobs of the RAN firings: " + states + (enqueuedOff > 0 ? ", " + enqueuedOff + " with enqueuedAt != scheduledFor" : ""));
        if (start.length > 0) {
            log(String.format(Locale.ROOT, "job start lateness (startedAt - scheduledFor): min %d, p50 %d, p90 %d, p99 %d, max %d ms",
                    start[0], Bench.percentile(start, 50), Bench.percentile(start, 90), Bench.percentile(start, 99), start[start.length - 1]));
        }

        String other = others.isEmpty() ? "0" : others.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        String split = servers.entrySet().stream().map(e -> e.getKey().replaceFirst("@.*", "") + " " + e.getValue())
                .collect(Collectors.joining(" / "));
        System.out.println(String.format(Locale.ROOT, "RESULT|%s|%d|%d|%d|%d|%d|%s|%s|%s|%s|%d|%d|%s",
                singleton, count, ran.size(), Bench.percentile(lateness, 50), Bench.percentile(lateness, 99), lateness[lateness.length - 1],
                start.length > 0 ? Long.toString(Bench.percentile(start, 50)) : "-", start.length > 0 ? Long.toString(Bench.percentile(start, 99)) : "-",
                start.length > 0 ? Long.toString(start[start.length - 1]) : "-", other, missing, duplicates, split));
    }

    /** A schedule's whole history, following "next". */
    private List<JsonObject> firings(String name) throws IOException, InterruptedException {
        List<JsonObject> firings = new ArrayList<>();
        String next = base + "/api/schedules/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/firings?limit=500";
        while (next != null) {
            JsonObject page = get(next);
            page.getJsonArray("firings").forEach(f -> firings.add(f.asJsonObject()));
            next = page.containsKey("next") ? page.getString("next") : null;
        }
        return firings;
    }

    /**
     * The jobs of these ids, once none of them is still queued or running: pages through the echo
     * jobs, newest first, until all are found.
     */
    private Map<String, JsonObject> jobsOf(Set<String> ids) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + JOBS_TIMEOUT.toNanos();
        while (!(isEmpty("QUEUED") && isEmpty("RUNNING") && isEmpty("FAILED"))) {
            if (System.nanoTime() > deadline) {
                log("!! echo jobs still queued, running or failed after " + JOBS_TIMEOUT + "; reading them as they are");
                break;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return api.echoJobs(ids, ScheduleBench::log);
    }

    private boolean isEmpty(String state) throws IOException, InterruptedException {
        return api.noEchoJobs(state);
    }

    @FunctionalInterface
    private interface Call {
        void on(String name) throws Exception;
    }

    /** Runs the call for each name from {@link #CLIENTS} threads; fails on the first failure. */
    private static void parallel(Collection<String> names, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (String name : names) {
                calls.add(pool.submit(() -> {
                    call.on(name);
                    return null;
                }));
            }
            for (Future<?> c : calls) {
                c.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonObject get(String url) throws IOException, InterruptedException {
        return api.get(url);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
